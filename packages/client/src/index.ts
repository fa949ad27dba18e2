export { Agent, globalAgent, setGlobalAgent, watchGlobalAgent } from '@strata-http/agent';
export {
  ClientRequest,
  type ClientSocket,
  type RequestOptions,
  type ResponseListener,
} from './client-request.js';
export { get, request } from './request.js';
