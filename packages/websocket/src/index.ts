export { CloseEvent, type CloseEventInit, MessageEvent, type MessageEventInit } from './events.js';
export { type BinaryType, WebSocket, type WebSocketInit } from './websocket.js';
