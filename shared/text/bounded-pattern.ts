/**
 * A regular expression applied to input, with the longest input it is ever run on. Longer input is
 * refused before the regex runs, so the work per value is bounded twice: by the length cap, and by
 * the pattern itself, which must be linear (every pattern of `input-patterns.ts` is checked by an
 * automaton-based ReDoS analysis in `test/shared/text/input-patterns.test.ts`).
 */
export class BoundedPattern {
  /** How many times the regex itself ran (tests count it to see that a cap held). */
  runs = 0;
  private built: RegExp | undefined;

  constructor(
    /** What the pattern recognises, for messages and the catalogue's test. */
    readonly name: string,
    /**
     * The regex, or a function that builds it on first use (a `\p{Script=…}` literal would load
     * ICU's script data at every cold start, even when never used).
     */
    private readonly source: RegExp | (() => RegExp),
    /** The longest value the regex is run on. */
    readonly maxLength: number,
  ) {}

  /** The regex itself (built on first use). */
  get regex(): RegExp {
    if (this.built === undefined) {
      const regex = typeof this.source === "function" ? this.source() : this.source;
      if (regex.global || regex.sticky) throw new TypeError(`${this.name}: a bounded pattern keeps no lastIndex state`);
      this.built = regex;
    }
    return this.built;
  }

  /** Whether `value` matches; undefined when it is longer than `maxLength` (the regex did not run). */
  match(value: string): boolean | undefined {
    if (value.length > this.maxLength) return undefined;
    this.runs++;
    return this.regex.test(value);
  }

  /** Whether `value` matches; a value longer than `maxLength` does not. */
  test(value: string): boolean {
    return this.match(value) === true;
  }

  /** The regex's captures for `value`, or undefined when it does not match or is too long. */
  exec(value: string): RegExpExecArray | undefined {
    if (value.length > this.maxLength) return undefined;
    this.runs++;
    return this.regex.exec(value) ?? undefined;
  }
}
