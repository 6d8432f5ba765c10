import fc from "fast-check";

// CI checks one fixed sample of every property, so a run is reproducible; elsewhere each run
// draws new cases (set FC_SEED to replay one). A failure prints its seed and shrunk counterexample.
const seed = process.env.FC_SEED ?? (process.env.CI ? "20261125" : undefined);
if (seed !== undefined) fc.configureGlobal({ seed: Number(seed) });
