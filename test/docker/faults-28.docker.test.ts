// docker: install.sh fault tests (kill mid-apply + --cleanup, dockerd restart mid-apply) on Docker 28.
import { faultsSuite } from './faults-suite.js';

faultsSuite('28.5', (e) => e.name.startsWith('28.'));
