// docker: install.sh fault tests (kill mid-apply + --cleanup, dockerd restart mid-apply) on Docker 20.
import { faultsSuite } from './faults-suite.js';

faultsSuite('20.10', (e) => e.name === '20.10');
