// js-pytorch loads this only for device 'gpu'; the benchmarks use device 'cpu'.
class GPU {
  constructor() {
    throw new Error(
      "js-pytorch device 'gpu' is unavailable here: package.json overrides @eduardoleao052/gpu with this stub so that `npm ci` compiles nothing (use device 'cpu').",
    );
  }
}
module.exports = { GPU };
