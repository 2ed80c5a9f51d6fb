// The operators' CLI on SQLite (the suite: operators-suite.ts).
import { testDatabases } from "../support/databases.ts";
import { operatorsCliSuite } from "./operators-suite.ts";

operatorsCliSuite(testDatabases().find((d) => d.name === "SQLite")!);
