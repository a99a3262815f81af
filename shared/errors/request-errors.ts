import { AppError } from "./app-error";

/** A JSON body that nests objects and arrays deeper than any valid request does. */
export class JsonTooDeep extends AppError {
  constructor(what: string, maxDepth: number) {
    super("InvalidParameter.Body", 400, `${what} nests objects and arrays deeper than ${maxDepth} levels`);
    this.name = "JsonTooDeep";
  }
}
