// The operators' CLI on PostgreSQL (the suite: operators-suite.ts).
import { testDatabases } from "../support/databases.ts";
import { operatorsCliSuite } from "./operators-suite.ts";

operatorsCliSuite(testDatabases().find((d) => d.name === "PostgreSQL")!);
