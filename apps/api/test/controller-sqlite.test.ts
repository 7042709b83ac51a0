/** The resource controller on SQLite (the embedded default) + chDB; see controller-suite.ts. */
import { controllerSuite } from './controller-suite';

controllerSuite('sqlite');
