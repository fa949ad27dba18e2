// Values of the umbrella's types are node:http's, and the other way round.
import type * as node from 'node:http';
import type * as ours from 'http-under-test';

declare const ourServer: ours.Server;
declare const ourRequest: ours.IncomingMessage;
declare const ourResponse: ours.ServerResponse;
declare const ourClientRequest: ours.ClientRequest;
declare const ourAgent: ours.Agent;
declare const ourOutgoing: ours.OutgoingMessage;
declare const nodeServer: node.Server;
declare const nodeRequest: node.IncomingMessage;
declare const nodeResponse: node.ServerResponse;
declare const nodeClientRequest: node.ClientRequest;
declare const nodeAgent: node.Agent;
declare const nodeOutgoing: node.OutgoingMessage;

export const toNode: [
  node.Server,
  node.IncomingMessage,
  node.ServerResponse,
  node.ClientRequest,
  node.Agent,
  node.OutgoingMessage,
] = [ourServer, ourRequest, ourResponse, ourClientRequest, ourAgent, ourOutgoing];

export const fromNode: [
  ours.Server,
  ours.IncomingMessage,
  ours.ServerResponse,
  ours.ClientRequest,
  ours.Agent,
  ours.OutgoingMessage,
] = [nodeServer, nodeRequest, nodeResponse, nodeClientRequest, nodeAgent, nodeOutgoing];

// The constructors too: a node:http class where ours is expected and vice versa.
declare const http: typeof import('http-under-test');
declare const nodeModule: typeof import('node:http');
export const classes: [typeof node.Server, typeof node.Agent, typeof node.IncomingMessage] = [
  http.Server,
  http.Agent,
  http.IncomingMessage,
];
export const nodeClasses: [
  typeof ours.Server,
  typeof ours.ServerResponse,
  typeof ours.ClientRequest,
] = [nodeModule.Server, nodeModule.ServerResponse, nodeModule.ClientRequest];
