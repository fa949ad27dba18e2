import { layerConfig } from '../../tooling/tsup/layer';

export default layerConfig();
