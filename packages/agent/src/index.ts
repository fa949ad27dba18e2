export type {
  AgentOptions,
  AgentRequest,
  AgentSocket,
  ConnectionOptions,
  CreateConnectionCallback,
} from './agent.js';
export { Agent, globalAgent, setGlobalAgent, watchGlobalAgent } from './agent.js';
export { parseKeepAliveTimeout } from './keep-alive-hint.js';
export { kRequestOptions, kSocketName } from './symbols.js';
