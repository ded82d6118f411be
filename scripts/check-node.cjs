// Stops `npm start`, `npm test` and the `fulcrum` command at once, with a message a newcomer can act
// on, when Node is too old to run Fulcrum's TypeScript sources (type stripping is on by default from
// Node 22.18). Plain CommonJS in the oldest syntax on purpose: it must parse on any Node still in use.
"use strict";

var MINIMUM = [22, 18, 0];

function parse(version) {
  return String(version)
    .replace(/^v/, "")
    .split(".")
    .map(function (part) {
      return parseInt(part, 10) || 0;
    });
}

function isSupported(version) {
  var have = parse(version);
  for (var i = 0; i < MINIMUM.length; i++) {
    if (have[i] > MINIMUM[i]) return true;
    if (have[i] < MINIMUM[i]) return false;
  }
  return true;
}

function message(version) {
  return (
    "Fulcrum needs Node 22.18 or newer; you have " +
    version +
    ".\n" +
    "Get Node 24 LTS, for example:\n" +
    "  npm install -g node@24      (then open a new shell, or run `hash -r`)\n" +
    "  nvm install 24 && nvm use 24\n" +
    "  or the installer or your system's package for Node 24 from nodejs.org.\n"
  );
}

function check() {
  if (isSupported(process.version)) return;
  process.stderr.write(message(process.version));
  process.exit(1);
}

module.exports = { isSupported: isSupported, message: message, check: check };

if (require.main === module) check();
