/** The resource controller on MariaDB (127.0.0.1:3306) + chDB; see controller-suite.ts. */
import { controllerSuite } from './controller-suite';

controllerSuite('mysql');
