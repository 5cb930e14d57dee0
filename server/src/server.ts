import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { PortLensServer } from './lsp/portLensServer';

// The transport (--stdio, --node-ipc, --socket=) is chosen from the command line.
const connection = createConnection(ProposedFeatures.all);
// The server lives for hours inside the editor: a stray error is logged, never fatal.
process.on('uncaughtException', (error) => connection.console.error(`uncaught: ${error.stack ?? error}`));
process.on('unhandledRejection', (reason) => connection.console.error(`unhandled rejection: ${(reason as Error)?.stack ?? reason}`));
new PortLensServer(connection).listen();
