export {
  CloseEvent,
  type CloseEventInit,
  ErrorEvent,
  type ErrorEventInit,
  MessageEvent,
  type MessageEventInit,
} from './events.js';
export { type BinaryType, WebSocket, type WebSocketInit } from './websocket.js';
