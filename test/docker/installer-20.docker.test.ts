// docker: install.sh on bookworm's Docker 20.10 (no raw-table drop; trusted_host_interfaces is stored, unused).
import { installerSuite } from './installer-suite.js';

installerSuite('20.10', (e) => e.name === '20.10');
