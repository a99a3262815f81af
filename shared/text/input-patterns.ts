import { BoundedPattern } from "./bounded-pattern";

/**
 * Every regular expression this service applies to what a caller or ESS sends, with the longest
 * value each one runs on. Each pattern is linear (no two ways to match one character sequence);
 * the test of this file proves it with an automaton-based ReDoS analysis and runs each pattern on
 * a pathological value of its maximum length. A new pattern on input belongs here.
 */

// ---- create-group request fields ---------------------------------------------------------------

/** Mainland mobile: 11 digits in the 13–19 ranges ("13,14,15,16,17,18,19号段长度11位"). */
export const MAINLAND_MOBILE = new BoundedPattern("mainland mobile", /^1[3-9]\d{9}$/, 11);

/**
 * Something@domain.tld, enough to catch a name or a mobile typed into the e-mail field. Domain
 * labels cannot contain a dot, so there is one way to split the text (the old
 * `^[^\s@]+@[^\s@]+\.[^\s@]+$` backtracked quadratically). 254: the longest address SMTP carries.
 */
export const EMAIL = new BoundedPattern("e-mail address", /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/, 254);

/** Standard base64 with padding; 20480: the longest `UserData` ("不能超过20480长度"). */
export const BASE64_USER_DATA = new BoundedPattern("base64 UserData", /^[A-Za-z0-9+/]*={0,2}$/, 20_480);

/**
 * Han characters, ASCII letters, digits and underscore ("只能由中文、字母、数字和下划线组成"), for
 * names of at most 200 characters (FlowGroupName, FlowName; ApproverRoleName is at most 20).
 */
export const NAME_CHARSET = new BoundedPattern("name charset", () => /^[\p{Script=Han}A-Za-z0-9_]+$/u, 200);

/** An 18-character ID number: 17 digits then a digit or X. */
export const EIGHTEEN_CHAR_ID = new BoundedPattern("18-character ID number", /^\d{17}[\dX]$/, 18);

/** A Hong Kong / Macao travel permit: H or M and 10 digits. */
export const HK_MACAO_PASS = new BoundedPattern("HK/Macao travel permit", /^[HM]\d{10}$/, 11);

/** essbasic OpenId: letters and digits, at most 64 ("最大64位字符串"). */
export const OPEN_ID = new BoundedPattern("OpenId", /^[A-Za-z0-9]+$/, 64);

/** A DATE component's value, `2024年1月2日`. */
export const DATE_VALUE = new BoundedPattern("date value", /^\d{4}年\d{1,2}月\d{1,2}日$/, 16);

/** One `{…}` placeholder of CustomShowMap naming an approver, `签署方N企业` / `签署方N姓名`. */
export const SHOW_MAP_APPROVER = new BoundedPattern("CustomShowMap approver placeholder", /^签署方(\d+)(企业|姓名)$/, 16);

// ---- headers, paths and callbacks -------------------------------------------------------------

/** `Authorization: Bearer <key>`; longer headers than a key of 512 characters allows are refused. */
export const BEARER = new BoundedPattern("Authorization bearer", /^Bearer\s+(\S+)\s*$/i, 600);

/** `Idempotency-Key`: printable ASCII without spaces, at most 255. */
export const IDEMPOTENCY_KEY = new BoundedPattern("Idempotency-Key", /^[\x21-\x7e]+$/, 255);

/** A FlowGroupId as ESS issues them. */
export const FLOW_GROUP_ID = new BoundedPattern("FlowGroupId", /^[A-Za-z0-9]{32}$/, 32);

/** The hex HMAC-SHA256 of `Content-Signature` (after an optional `sha256=`). */
export const SHA256_HEX = new BoundedPattern("SHA-256 hex", /^[0-9a-f]{64}$/i, 64);

/** The hex SHA-1 `msg_signature` of the query form. */
export const SHA1_HEX = new BoundedPattern("SHA-1 hex", /^[0-9a-f]{40}$/i, 40);

/** The query form's `timestamp`, unix seconds. */
export const UNIX_SECONDS = new BoundedPattern("unix seconds", /^\d{1,12}$/, 12);

/** A number sent as text in a callback (`OccurTime`, `ApproveTime`), spaces around allowed. */
export const NUMERIC_TEXT = new BoundedPattern("numeric text", /^\s*\d+\s*$/, 32);

/** A callback's `encrypt` after whitespace is removed: standard base64, padding optional. */
export const BASE64_CIPHERTEXT = new BoundedPattern("base64 ciphertext", /^[A-Za-z0-9+/]*={0,2}$/, 6 * 1024 * 1024);

/** A `RecipientId` or `SignId` a caller names (ESS issues 32 letters and digits; fixtures and other ids are kept lenient). */
export const RECIPIENT_ID = new BoundedPattern("RecipientId", /^[A-Za-z0-9_-]+$/, 64);

/** An http(s) URL without spaces (`JumpUrl`: at most 1000 characters, ESS's limit). */
export const HTTP_URL = new BoundedPattern("http(s) URL", /^https?:\/\/\S+$/, 1000);

/** A list cursor as this service hands it out: base64url text. */
export const LIST_CURSOR = new BoundedPattern("list cursor", /^[A-Za-z0-9_-]+$/, 300);

/** What a list cursor holds: the name of the last listed index entry (`<13 digits>-<FlowGroupId>.json`). */
export const LIST_CURSOR_NAME = new BoundedPattern("list cursor position", /^\d{13}-[A-Za-z0-9_-]{1,128}\.json$/, 160);

/** Every pattern above, for the catalogue's test. */
export const INPUT_PATTERNS: readonly BoundedPattern[] = [
  MAINLAND_MOBILE,
  EMAIL,
  BASE64_USER_DATA,
  NAME_CHARSET,
  EIGHTEEN_CHAR_ID,
  HK_MACAO_PASS,
  OPEN_ID,
  DATE_VALUE,
  SHOW_MAP_APPROVER,
  BEARER,
  IDEMPOTENCY_KEY,
  FLOW_GROUP_ID,
  SHA256_HEX,
  SHA1_HEX,
  UNIX_SECONDS,
  NUMERIC_TEXT,
  BASE64_CIPHERTEXT,
  RECIPIENT_ID,
  HTTP_URL,
  LIST_CURSOR,
  LIST_CURSOR_NAME,
];
