/**
 * The smallest cdk8s app: one Chart, one ConfigMap, `app.synth()` into $CDK8S_OUTDIR. The
 * benchmark times `npx tsx main.ts` against `npx tsx bench/minimal-app.ts`, run the same way, to
 * see what the example topology costs on top of starting a cdk8s app at all.
 */
import { ApiObject, App, Chart } from 'cdk8s';

const app = new App();
const chart = new Chart(app, 'minimal');
new ApiObject(chart, 'config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'minimal' }, data: { hello: 'world' } });
app.synth();
