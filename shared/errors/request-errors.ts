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

/** A request whose `Host` is not one this local server answers to (DNS rebinding). */
export class HostRefused extends AppError {
  constructor() {
    super("OperationDenied.Host", 403, "This local server answers only to 127.0.0.1, localhost and [::1]");
    this.name = "HostRefused";
  }
}

/** A request sent by a web page of another origin. */
export class OriginRefused extends AppError {
  constructor() {
    super("OperationDenied.Origin", 403, "Requests from web pages of another origin are refused");
    this.name = "OriginRefused";
  }
}

/** A body on a JSON route that is not declared `application/json`. */
export class JsonContentTypeRequired extends AppError {
  constructor() {
    super("InvalidParameter.ContentType", 415, "This route takes a JSON body: send Content-Type: application/json");
    this.name = "JsonContentTypeRequired";
  }
}
