/* Identifier findings in the writer's browser: the desk's detectors (anonymize.scrub.findings), step for step.
 *
 * Every pattern and word list comes from the desk's own tables, exported at build time
 * (findings_export.py translates each Python pattern into a JavaScript one); this file holds only the
 * glue the Python detectors hold around their patterns: check digits, public-name filters, and the
 * overlap rule of detect(). tests/browser/test_prepare_agreement.py runs both on the desk's labeled
 * examples. Phone numbers are decided by libphonenumber-js (a port of the library the desk uses).
 */
(function (root) {
  "use strict";

  function make(D, phoneFinder) {
    const P = {};
    const compile = (name, extra) => {
      try {
        P[name] = new RegExp(D.patterns[name].source, D.patterns[name].flags + extra);
      } catch (err) {
        delete P[name];  // this browser cannot run it: listed in `missing` when a detector asks for it
      }
    };
    for (const name of Object.keys(D.patterns)) compile(name, "g");
    const set = (xs) => new Set(xs || []);
    const T = {
      publicNames: set(D.tables.public_names), publicLower: set(D.tables.public_lower),
      publicDomains: D.tables.public_domains || [], publicCodes: set(D.tables.public_codes),
      given: set(D.tables.given_names), surnames: set(D.tables.surnames), notNames: set(D.tables.not_names),
      common: set(D.tables.common), regions: D.tables.regions || [], usernameWords: D.tables.username_words || [],
      priority: D.tables.priority,
    };
    const RANK = new Map(T.priority.map((k, i) => [k, i]));

    // A pattern the export could not give (a detector changed, or JavaScript cannot say it) finds nothing here:
    // it is listed in `missing`, the page says so, and the agreement test measures the difference.
    const missing = new Set(D.unavailable || []);
    function* all(name, text) {
      const re = P[name];
      if (!re) { missing.add(name); return; }
      re.lastIndex = 0;
      for (const m of text.matchAll(re)) yield m;
    }
    const has = (name, text) => { const re = P[name]; if (!re) { missing.add(name); return false; } re.lastIndex = 0; return re.test(text); };
    // Group spans come from m.indices: patterns with groups are compiled with the `d` flag.
    for (const name of D.grouped || []) compile(name, "gd");
    const span = (m, g) => (g ? [m.indices[g][0], m.indices[g][1]] : [m.index, m.index + m[0].length]);
    const isDigit = (c) => /^\p{Nd}$/v.test(c);
    const isAscii = (s) => /^[\x00-\x7f]*$/.test(s);
    const countDigits = (s) => [...s].filter(isDigit).length;
    const lower = (s) => s.toLowerCase();

    // contact ----------------------------------------------------------------------------------------------
    function* emails(text) {
      if (!text.includes("@")) return;
      for (const m of all("contact.EMAIL", text)) yield ["email", ...span(m)];
    }
    function hostOf(url) {
      let rest = url.includes("://") ? url.slice(url.indexOf("://") + 3) : url;
      rest = rest.split(/[/?#]/)[0];
      if (rest.includes("@")) rest = rest.slice(rest.lastIndexOf("@") + 1);
      if (rest.startsWith("[")) return lower(rest.slice(1, rest.indexOf("]") >= 0 ? rest.indexOf("]") : undefined));
      return lower(rest.split(":")[0]);
    }
    const publicHost = (host) => T.publicDomains.some((d) => host === d || host.endsWith("." + d));
    function* urls(text) {
      const lowered = lower(text);
      if (lowered.includes("http") || lowered.includes("www.")) {
        for (const m of all("contact.URL", text)) if (!publicHost(hostOf(m[0]))) yield ["url", ...span(m)];
      }
      for (const m of all("contact.BARE_DOMAIN", text)) {
        const before = text.slice(Math.max(0, m.index - 1), m.index);
        if (["@", "/", "."].includes(before) || publicHost(lower(m[0]))) continue;
        yield ["url", ...span(m)];
      }
    }
    function ipv4Valid(s) {
      const parts = s.split(".");
      return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && (p === "0" || p[0] !== "0") && +p <= 255);
    }
    function* ipv4(text) {
      for (const m of all("contact.IPV4", text)) if (ipv4Valid(m[0])) yield ["ip-address", ...span(m)];
    }
    function ipv6Valid(s) {
      // Python's ipaddress.IPv6Address (_ip_int_from_string), for the strings contact.IPV6 can match.
      const parts = s.split(":");
      if (parts.length < 3 || parts.length > 9) return false;
      let skip = -1;
      for (let i = 1; i < parts.length - 1; i++) {
        if (parts[i] === "") { if (skip >= 0) return false; skip = i; }
      }
      let hi, lo;
      if (skip >= 0) {
        hi = skip; lo = parts.length - skip - 1;
        if (parts[0] === "") { hi -= 1; if (hi) return false; }
        if (parts[parts.length - 1] === "") { lo -= 1; if (lo) return false; }
        if (8 - (hi + lo) < 1) return false;
      } else {
        if (parts.length !== 8 || parts[0] === "" || parts[7] === "") return false;
        hi = parts.length; lo = 0;
      }
      const used = parts.slice(0, hi).concat(lo ? parts.slice(parts.length - lo) : []);
      return used.every((p) => /^[0-9a-fA-F]{1,4}$/.test(p));
    }
    function* ipv6(text) {
      if (!has("contact.HEX_COLON", text)) return;
      for (const m of all("contact.IPV6", text)) {
        if ((m[0].match(/:/g) || []).length < 2) continue;
        if (ipv6Valid(m[0])) yield ["ip-address", ...span(m)];
      }
    }
    function* handles(text) {
      if (text.includes("@")) for (const m of all("contact.HANDLE", text)) yield ["handle", ...span(m)];
      const lowered = lower(text);
      if (T.usernameWords.some((w) => lowered.includes(w))) {
        for (const m of all("contact.USERNAME", text)) {
          yield m[1] !== undefined ? ["username", ...span(m, 1)] : ["username", ...span(m)];
        }
      }
    }
    function plausible(raw) {
      const s = raw.trim();
      const digits = countDigits(raw);
      if (/^\d{4}-\d{2}-\d{2}$/.test(s) || /^\d+\.\d+$/.test(s)) return false;
      return digits >= 7 && digits <= 15 && (!/^\p{Nd}+$/v.test(s) || digits === 10 || digits === 11 || s.startsWith("0"));
    }
    function* phones(text) {
      const seen = new Set();
      for (const hint of all("contact.PHONE_HINT", text)) {
        const start = Math.max(0, hint.index - 4);
        const window = text.slice(start, hint.index + hint[0].length + 1);
        for (const region of T.regions) {
          for (const found of phoneFinder(window, region)) {
            const s = start + found.startsAt, e = start + found.endsAt;
            const key = s + ":" + e;
            if (seen.has(key) || !plausible(window.slice(found.startsAt, found.endsAt))) continue;
            seen.add(key);
            yield [has("contact.FAX", text.slice(Math.max(0, s - 16), s)) ? "fax" : "phone", s, e];
          }
        }
      }
    }

    // numbers ----------------------------------------------------------------------------------------------
    function luhn(digits) {
      let total = 0;
      [...digits].reverse().forEach((ch, i) => {
        let d = +ch;
        if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
        total += d;
      });
      return total % 10 === 0;
    }
    const npiValid = (n) => n.length === 10 && "12".includes(n[0]) && luhn("80840" + n);
    function deaValid(code) {
      const d = [...code.slice(2)].map(Number);
      return (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10 === d[6];
    }
    const VIN_VALUES = {};
    "0123456789".split("").forEach((c, i) => { VIN_VALUES[c] = i; });
    "ABCDEFGH".split("").forEach((c, i) => { VIN_VALUES[c] = i + 1; });
    "JKLMN".split("").forEach((c, i) => { VIN_VALUES[c] = i + 1; });
    VIN_VALUES.P = 7; VIN_VALUES.R = 9;
    "STUVWXYZ".split("").forEach((c, i) => { VIN_VALUES[c] = i + 2; });
    const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
    function vinValid(vin) {
      let total = 0;
      for (let i = 0; i < 17; i++) total += VIN_VALUES[vin[i]] * VIN_WEIGHTS[i];
      const check = total % 11;
      return vin[8] === (check === 10 ? "X" : String(check));
    }
    const anyDigit = (s) => [...s].some(isDigit);
    function* identifiers(text) {
      for (const m of all("numbers.PLATE", text)) if (anyDigit(m[1])) yield ["vehicle", ...span(m, 1)];
      for (const m of all("numbers.UK_PLATE", text)) yield ["vehicle", ...span(m)];
      for (const m of all("numbers.SSN", text)) yield ["ssn", ...span(m)];
      for (const m of all("numbers.SSN_CONTEXT", text)) yield ["ssn", ...span(m, 1)];
      for (const m of all("numbers.TEN_DIGITS", text)) if (npiValid(m[0])) yield ["npi", ...span(m)];
      for (const m of all("numbers.NPI_CONTEXT", text)) yield ["npi", ...span(m, 1)];
      for (const m of all("numbers.DEA", text)) if (deaValid(m[0])) yield ["dea", ...span(m)];
      for (const m of all("numbers.VIN", text)) if (anyDigit(m[0]) && vinValid(m[0])) yield ["vehicle", ...span(m)];
      for (const m of all("numbers.IMEI", text)) if (luhn(m[0])) yield ["device", ...span(m)];
      for (const kind of ["record-number", "device", "vehicle"]) {
        for (const m of all("numbers.keyword." + kind, text)) {
          const value = m[1];
          if (countDigits(value) >= 2 && !T.publicCodes.has(lower(value))) yield [kind, ...span(m, 1)];
        }
      }
    }
    function* macs(text) {
      if (!has("numbers.MAC_HINT", text)) return;
      for (const m of all("numbers.MAC", text)) yield ["device", ...span(m)];
    }
    function* codes(text) {
      for (const m of all("numbers.CODE", text)) {
        const token = m[0];
        const digits = countDigits(token);
        if ([...token].length >= 6 && digits >= 3 && !T.publicCodes.has(lower(token)) &&
            !/^\p{Nd}+(?:st|nd|rd|th|s)$/v.test(token)) yield ["unique-code", ...span(m)];
      }
    }

    // dates, people, places --------------------------------------------------------------------------------
    function* dates(text) {
      for (const name of D.date_patterns) {
        for (const m of all(name, text)) yield m.length > 1 ? ["date", ...span(m, 1)] : ["date", ...span(m)];
      }
    }
    const split = (s) => s.split(/\s+/v).filter(Boolean);
    function* names(text) {
      const stop = T.notNames;
      const found = [...all("people.after_title", text), ...all("people.after_intro", text)];
      for (const m of found) {
        const words = split(m[1]);
        while (words.length && stop.has(words[words.length - 1])) words.pop();
        if (!words.length || stop.has(words[0]) || T.publicNames.has(words.join(" ")) || T.publicNames.has(words[0])) continue;
        const start = span(m, 1)[0];
        yield ["name", start, start + words.join(" ").length];
      }
      for (const m of all("people.full", text)) {
        const first = m[1], last = m[2];
        if (T.given.has(first) && (T.surnames.has(last) || (!stop.has(last) && !T.publicNames.has(last) && !T.common.has(last)))) {
          if (!T.publicNames.has(first + " " + last)) yield ["name", ...span(m)];
        }
      }
    }
    function* ages(text) { for (const m of all("people.AGE", text)) yield ["age", ...span(m)]; }
    function* addresses(text) {
      for (const m of all("places.street", text)) yield ["place", ...span(m)];
      for (const m of all("places.zip_code", text)) yield ["place", ...span(m, m[1] !== undefined ? 1 : 2)];
      for (const m of all("places.postcode", text)) yield ["place", ...span(m)];
    }
    function* places(text) {
      for (const m of all("places.place_word", text)) yield ["place", ...span(m)];
      for (const m of all("places.cities", text)) if (!T.publicNames.has(m[0])) yield ["place", ...span(m)];
    }
    const LEADING = new Set(["The", "A", "An", "At", "In", "Our", "My", "From", "To", "For", "Of"]);
    function* institutions(text) {
      for (const name of ["places.institution", "places.university_of"]) {
        for (const m of all(name, text)) {
          const found = m[0];
          let words = split(found);
          while (words.length && LEADING.has(words[0])) words = words.slice(1);
          const value = words.join(" ");
          const lv = lower(value);
          if (!value || T.publicLower.has(lv) ||
              [...T.publicLower].some((p) => lv.startsWith(p + " ") && ["", "health"].includes(lv.slice(p.length + 1)))) continue;
          if (words.length < 2) continue;
          const at = found.indexOf(value);
          if (at < 0) continue;
          const start = m.index + at;
          yield ["institution", start, start + value.length];
        }
      }
    }

    // characters ------------------------------------------------------------------------------------------
    const X = D.text;
    const inRanges = (cp, ranges) => ranges.some(([a, b]) => a <= cp && cp <= b);
    const scriptOf = (ch) => {
      const cp = ch.codePointAt(0);
      for (const [name, ranges] of Object.entries(D.scripts)) if (inRanges(cp, ranges)) return name;
      return "";
    };
    const isEmoji = (ch) => { const cp = ch.codePointAt(0); return inRanges(cp, X.emoji) || (cp >= 0x1f3fb && cp <= 0x1f3ff); };
    function suspicious(cp) {
      return inRanges(cp, X.invisible) || inRanges(cp, X.variation) || inRanges(cp, X.tags) || cp === X.zwj || cp === X.zwnj;
    }
    function emojiBase(out) {
      for (let i = out.length - 1; i >= 0; i--) {
        const cp = out[i].codePointAt(0);
        if (cp === 0xfe0f || cp === 0xfe0e || (cp >= 0x1f3fb && cp <= 0x1f3ff)) continue;
        return isEmoji(out[i]);
      }
      return false;
    }
    function inTagSequence(out) {
      for (let i = out.length - 1; i >= 0; i--) {
        const cp = out[i].codePointAt(0);
        if (cp >= 0xe0020 && cp <= 0xe007e) continue;
        return cp === 0x1f3f4;
      }
      return false;
    }
    function* hidden(text) {
      if (isAscii(text)) return;
      const chars = [...text];
      const out = [];
      let offset = 0;
      for (let i = 0; i < chars.length; i++) {
        const ch = chars[i], cp = ch.codePointAt(0);
        const here = offset;
        offset += ch.length;
        if (!suspicious(cp)) { out.push(ch); continue; }
        const prev = out.length ? out[out.length - 1] : "", nxt = chars[i + 1] || "";
        let keep = false;
        if (cp === X.zwj) keep = !!prev && !!nxt && emojiBase(out) && isEmoji(nxt);
        else if (cp === X.zwnj) keep = !!prev && !!nxt && X.zwnj_scripts.includes(scriptOf(prev)) && X.zwnj_scripts.includes(scriptOf(nxt));
        else if (inRanges(cp, X.variation)) keep = (cp === 0xfe0e || cp === 0xfe0f) && !!prev && isEmoji(prev);
        else if (inRanges(cp, X.tags)) keep = inTagSequence(out);
        if (keep) out.push(ch);
        else yield ["hidden-character", here, here + ch.length];
      }
    }
    function* lookalike(text) {
      if (isAscii(text)) return;
      const bad = new Set();
      for (const m of all("characters.WORD", text)) {
        const word = m[0];
        if (isAscii(word)) continue;
        const seen = new Set([...word].filter((c) => /^\p{L}$/v.test(c)).map(scriptOf).filter((s) => X.lookalike.includes(s)));
        if (seen.size > 1) bad.add(word);
      }
      for (const m of all("characters.WORD", text)) if (bad.has(m[0])) yield ["lookalike", ...span(m)];
    }

    const DETECTORS = [emails, urls, ipv6, handles, macs, institutions, places, names, hidden, lookalike];
    const DIGIT_DETECTORS = [ipv4, identifiers, phones, dates, ages, addresses, codes];

    function* paragraphsWithDigits(text) {
      let start = 0;
      const breaks = [...all("findings._PARAGRAPH_BREAK", text), null];
      for (const brk of breaks) {
        const end = brk ? brk.index : text.length;
        if (/\p{Nd}/v.test(text.slice(start, end))) yield [start, text.slice(start, end)];
        start = brk ? brk.index + brk[0].length : end;
      }
    }

    /* Every finding in `text`: [{kind, text, line, start, end}] (start/end in UTF-16 units), in order. */
    function detect(text) {
      let spans = [];
      for (const d of DETECTORS) for (const [kind, s, e] of d(text)) if (e > s) spans.push([s, e, kind]);
      for (const [offset, para] of paragraphsWithDigits(text)) {
        for (const d of DIGIT_DETECTORS) for (const [kind, s, e] of d(para)) if (e > s) spans.push([offset + s, offset + e, kind]);
      }
      const rank = (k) => (RANK.has(k) ? RANK.get(k) : 99);
      spans.sort((a, b) => rank(a[2]) - rank(b[2]) || (b[1] - b[0]) - (a[1] - a[0]) || a[0] - b[0]);
      const taken = [...all("findings.public_names", text)].map((m) => [m.index, m.index + m[0].length]);
      const kept = [];
      for (const [s, e, kind] of spans) {
        const free = kind === "hidden-character" || kind === "lookalike";
        if (free || !taken.some(([ts, te]) => ts < e && s < te)) {
          kept.push([s, e, kind]);
          if (!free) taken.push([s, e]);
        }
      }
      kept.sort((a, b) => a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0));
      const lineStarts = [0];
      for (let i = 0; i < text.length; i++) if (text[i] === "\n") lineStarts.push(i + 1);
      return kept.map(([s, e, kind]) => {
        let lo = 0, hi = lineStarts.length;
        while (lo < hi) { const mid = (lo + hi) >> 1; if (lineStarts[mid] <= s) lo = mid + 1; else hi = mid; }
        return { kind, text: text.slice(s, e), line: lo, start: s, end: e };
      });
    }
    return { detect, missing };
  }

  root.UnsignedFindings = { make };
})(typeof window !== "undefined" ? window : globalThis);
