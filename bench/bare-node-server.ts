/**
 * The baseline: Node's own http server answering every request with a fixed TwiML document, the
 * least any webhook server on Node can cost. It reads the body, as a real handler must.
 *
 *   node dist/bench/bare-node-server.js PORT
 */
import http from 'node:http';

const TWIML =
  '<?xml version="1.0" encoding="UTF-8"?><Response><Gather input="dtmf" numDigits="1" timeout="6" action="https://callpath.bench.invalid/twilio/input" method="POST">' +
  '<Say voice="Polly.Astrid" language="sv-SE">För förskola och skola, tryck 1. För växeln, tryck 0.</Say></Gather></Response>';

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'text/xml' });
    res.end(TWIML);
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.argv[2]), '127.0.0.1', () => process.stdout.write('listening\n'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
