import { AppError } from "./app-error";

/** A JSON body that nests objects and arrays deeper than any valid request does. */
export class JsonTooDeep extends AppError {
  constructor(what: string, maxDepth: number) {
    super("InvalidParameter.Body", 400, `${what} nests objects and arrays deeper than ${maxDepth} levels`);
    this.name = "JsonTooDeep";
  }
}

/** A body whose Content-Type the route does not take (e.g. a PDF posted to a JSON route). */
export class UnsupportedContentType extends AppError {
  constructor(accepted: string, hint = "") {
    super("InvalidParameter.ContentType", 415, `This route takes ${accepted}${hint ? `; ${hint}` : ""}`, {
      headers: { Accept: accepted.replace(/ or /g, ", ") },
    });
    this.name = "UnsupportedContentType";
  }
}
