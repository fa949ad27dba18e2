import { layerConfig } from '../../tooling/tsup/layer';

// globalAgent is reassigned by setGlobalAgent(): the ES module face follows it.
export default layerConfig({ live: { globalAgent: 'watchGlobalAgent' } });
