/**
 * `Neuron`, `Layer` (alias `Linear`) and `MLP`, micrograd-compatible in shape: a neuron has
 * weights `w` and a bias `b`; a layer has `neurons`; an MLP has `layers`. A neuron computes
 * its pre-activation as one `Value.dot` node (bias first, as micrograd adds it).
 */
import { seededRng, type Rng } from '../data/random';
import { describeForError } from '../engine/errors';
import { Value } from '../engine/value';
import { type InitializerName, initializers } from '../init/initializers';
import { checkGraphSize, optionsObject, rngOption } from '../util/options';
import { type Member, Module } from './module';

/** The activation a neuron applies to its pre-activation. */
export type Activation = 'tanh' | 'relu' | 'linear';

/** Options for `Neuron` and `Layer`. */
export interface LayerOptions {
  /** Default 'linear' (as PyTorch's Linear); MLP hidden layers default to 'relu'. */
  activation?: Activation;
  /** Random source for the weights (default `seededRng(0)`; MLP passes one source to all its layers). */
  rng?: Rng;
  /** Weight initialiser (default 'glorotUniform'). Biases start at 0. */
  init?: InitializerName;
}

/** Options for `Neuron`: a standalone neuron initialises as part of a layer of `fanOut` neurons. */
export interface NeuronOptions extends LayerOptions {
  /** The fan-out used by the initialiser (default 1; a Layer passes its width). */
  fanOut?: number;
}

/** Options for `MLP`. */
export interface MLPOptions extends LayerOptions {
  /** The last layer's activation (default 'linear'). */
  outputActivation?: Activation;
}

const ACTIVATIONS: readonly Activation[] = ['tanh', 'relu', 'linear'];

function checkSize(where: string, name: string, n: unknown): number {
  if (!Number.isInteger(n) || (n as number) < 1)
    throw new RangeError(`${where}: ${name} must be a positive integer, got ${describeForError(n)}.`);
  return n as number;
}

/** Checks `options` (undefined means none) and returns them with `rng` wrapped to check what it returns. */
function checkOptions<T extends LayerOptions>(where: string, given: T | undefined): T {
  const options = optionsObject(where, given) as T;
  if (options.activation !== undefined && !ACTIVATIONS.includes(options.activation)) {
    throw new TypeError(
      `${where}: activation must be one of ${ACTIVATIONS.join(', ')}, got ${describeForError(options.activation)}.`,
    );
  }
  if (options.init !== undefined && !(options.init in initializers)) {
    throw new TypeError(
      `${where}: init must be one of ${Object.keys(initializers).join(', ')}, got ${describeForError(options.init)}.`,
    );
  }
  return options.rng === undefined ? options : { ...options, rng: rngOption(where, options.rng) };
}

/**
 * One neuron: `activation(b + Σ w[i]·x[i])`.
 *
 * @example
 * const n = new Neuron(2, { activation: 'tanh', rng: seededRng(1) });
 * n.call([1, -1]);                      // a Value in (-1, 1)
 */
export class Neuron extends Module {
  /** The weights, one per input (Glorot uniform by default). */
  readonly w: Value[];
  /** The bias (starts at 0). */
  readonly b: Value;
  /** The activation applied to `b + Σ w[i]·x[i]`. */
  readonly activation: Activation;

  constructor(nin: number, options: NeuronOptions = {}) {
    super();
    checkSize('new Neuron(nin)', 'nin', nin);
    checkGraphSize('new Neuron(nin)', 'parameters', nin + 1);
    const {
      activation = 'linear',
      rng = seededRng(0),
      init = 'glorotUniform',
      fanOut = 1,
    } = checkOptions('new Neuron', options);
    checkSize('new Neuron', 'fanOut', fanOut);
    this.w = Array.from({ length: nin }, () => new Value(initializers[init](nin, fanOut, { rng })));
    this.b = new Value(0);
    this.activation = activation;
  }

  protected members(): Record<string, Member> {
    return { w: this.w, b: this.b };
  }

  protected override extraRepr(): string {
    return `${this.w.length} inputs, ${this.activation}`;
  }

  /**
   * The neuron's output for inputs `x` (Values or numbers; exactly `w.length` of them).
   * Gradient flows to `w`, `b` and any input Values that require grad.
   *
   * @example
   * new Neuron(2).call([1, new Value(2)]);   // a Value
   */
  call(x: readonly (Value | number)[]): Value {
    if (!Array.isArray(x) || x.length !== this.w.length) {
      throw new RangeError(
        `Neuron.call(x): expected ${this.w.length} inputs, got ${Array.isArray(x) ? x.length : describeForError(x)}.`,
      );
    }
    const z = Value.dot(this.w, x, this.b);
    return this.activation === 'relu' ? z.relu() : this.activation === 'tanh' ? z.tanh() : z;
  }
}

/**
 * A fully connected layer of `nout` neurons over `nin` inputs.
 *
 * @example
 * new Layer(2, 3).call([1, 2]).length;   // 3
 */
export class Layer extends Module {
  /** The layer's neurons, one per output. */
  readonly neurons: Neuron[];

  constructor(nin: number, nout: number, options: LayerOptions = {}) {
    super();
    checkSize('new Layer(nin, nout)', 'nin', nin);
    checkSize('new Layer(nin, nout)', 'nout', nout);
    checkGraphSize('new Layer(nin, nout)', 'parameters', nout * (nin + 1));
    const checked = checkOptions('new Layer', options);
    const rng = checked.rng ?? seededRng(0);
    this.neurons = Array.from({ length: nout }, () => new Neuron(nin, { ...checked, rng, fanOut: nout }));
  }

  protected members(): Record<string, Member> {
    return { neurons: this.neurons };
  }

  protected override extraRepr(): string {
    const [first] = this.neurons;
    return `${first.w.length} -> ${this.neurons.length}, ${first.activation}`;
  }

  /**
   * Every neuron's output for inputs `x`.
   *
   * @example
   * new Layer(2, 3).call([0.5, -1]).map((v) => v.data);   // three numbers
   */
  call(x: readonly (Value | number)[]): Value[] {
    return this.neurons.map((neuron) => neuron.call(x));
  }
}

/** Alias of `Layer` (PyTorch's name: with the default 'linear' activation it is exactly `nn.Linear`). */
export const Linear = Layer;
/** Alias of `Layer`. */
export type Linear = Layer;

/**
 * A multi-layer perceptron: layer sizes `nouts` after `nin` inputs; hidden layers use
 * `activation` (default 'relu'), the last `outputActivation` (default 'linear').
 *
 * @example
 * const model = new MLP(2, [16, 16, 1], { rng: seededRng(1337) });
 * model.call([0.5, -0.2])[0];           // the score, a Value
 */
export class MLP extends Module {
  /** The layers, input side first. */
  readonly layers: Layer[];

  constructor(nin: number, nouts: readonly number[], options: MLPOptions = {}) {
    super();
    checkSize('new MLP(nin, nouts)', 'nin', nin);
    const sizesGiven: unknown = nouts; // Array.isArray(nouts) would narrow it to any[]
    if (!Array.isArray(sizesGiven) || nouts.length === 0)
      throw new TypeError(
        `new MLP(nin, nouts): nouts must be a non-empty array of layer sizes, got ${describeForError(nouts)}.`,
      );
    nouts.forEach((n, i) => checkSize('new MLP(nin, nouts)', `nouts[${i}]`, n));
    const sizes = [nin, ...nouts];
    checkGraphSize(
      'new MLP(nin, nouts)',
      'parameters',
      nouts.reduce((sum, nout, i) => sum + nout * (sizes[i] + 1), 0),
    );
    const checked = checkOptions('new MLP', options);
    if (checked.outputActivation !== undefined)
      checkOptions('new MLP (outputActivation)', { activation: checked.outputActivation });
    const { activation = 'relu', outputActivation = 'linear', rng = seededRng(0), init } = checked;
    this.layers = nouts.map(
      (nout, i) =>
        new Layer(sizes[i], nout, { rng, init, activation: i === nouts.length - 1 ? outputActivation : activation }),
    );
  }

  protected members(): Record<string, Member> {
    return { layers: this.layers };
  }

  protected override extraRepr(): string {
    return [this.layers[0].neurons[0].w.length, ...this.layers.map((layer) => layer.neurons.length)].join(' -> ');
  }

  /**
   * The outputs of the last layer for inputs `x`.
   *
   * @example
   * new MLP(2, [8, 1]).call([0.5, -1])[0];   // the score, a Value
   */
  call(x: readonly (Value | number)[]): Value[] {
    let h: readonly (Value | number)[] = x;
    for (const layer of this.layers) h = layer.call(h);
    return h as Value[];
  }
}
