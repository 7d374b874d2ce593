/** Canvas drawing for the browser example: the loss curve and the decision boundary. */

/** Draws `losses` as a line, the y axis from 0 to the largest loss. */
export function drawLoss(canvas: HTMLCanvasElement, losses: readonly number[], steps: number): void {
  const g = canvas.getContext('2d')!;
  const { width, height } = canvas;
  const pad = 36;
  g.clearRect(0, 0, width, height);
  g.strokeStyle = '#999';
  g.strokeRect(pad, 8, width - pad - 8, height - pad - 8);
  const top = Math.max(...losses, 1e-9);
  g.fillStyle = '#555';
  g.font = '12px sans-serif';
  g.fillText(top.toFixed(2), 2, 16);
  g.fillText('0', pad - 12, height - pad);
  g.fillText(`step ${steps}`, width - 60, height - pad + 16);
  g.strokeStyle = '#d6452b';
  g.lineWidth = 2;
  g.beginPath();
  losses.forEach((loss, i) => {
    const x = pad + ((width - pad - 8) * i) / Math.max(1, steps - 1);
    const y = height - pad - ((height - pad - 8) * loss) / top;
    if (i === 0) g.moveTo(x, y);
    else g.lineTo(x, y);
  });
  g.stroke();
}

/** The plotted square of the input plane: x in [-1.5, 2.5], y in [-1.25, 1.75]. */
const VIEW = { x0: -1.5, x1: 2.5, y0: -1.25, y1: 1.75 };

/**
 * Shades each cell of a `cells` x `cells` grid by the sign of `score` at its centre, then draws
 * the points coloured by label.
 */
export function drawBoundary(
  canvas: HTMLCanvasElement,
  score: (p: [number, number]) => number,
  xs: readonly [number, number][],
  ys: readonly number[],
  cells = 36,
): void {
  const g = canvas.getContext('2d')!;
  const { width, height } = canvas;
  const toX = (x: number) => ((x - VIEW.x0) / (VIEW.x1 - VIEW.x0)) * width;
  const toY = (y: number) => height - ((y - VIEW.y0) / (VIEW.y1 - VIEW.y0)) * height;
  for (let i = 0; i < cells; i++) {
    for (let j = 0; j < cells; j++) {
      const x = VIEW.x0 + ((i + 0.5) / cells) * (VIEW.x1 - VIEW.x0);
      const y = VIEW.y0 + ((j + 0.5) / cells) * (VIEW.y1 - VIEW.y0);
      g.fillStyle = score([x, y]) > 0 ? '#f6d5c8' : '#cfe0f3';
      g.fillRect(
        Math.floor((i * width) / cells),
        Math.floor(height - ((j + 1) * height) / cells),
        Math.ceil(width / cells) + 1,
        Math.ceil(height / cells) + 1,
      );
    }
  }
  xs.forEach(([x, y], k) => {
    g.fillStyle = ys[k] > 0 ? '#c0392b' : '#1f5fa8';
    g.beginPath();
    g.arc(toX(x), toY(y), 4, 0, 2 * Math.PI);
    g.fill();
  });
}
