// docker: install.sh on sid's Docker 28.x (raw-table drop of cross-bridge traffic, trusted_host_interfaces).
import { installerSuite } from './installer-suite.js';

installerSuite('28.x', (e) => e.name.startsWith('28.'));
