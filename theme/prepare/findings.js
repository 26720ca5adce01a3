/* Identifier findings in the writer's browser: the desk's detectors (anonymize.scrub.findings), path for path.
 *
 * Every pattern, word list and the name, word-frequency and place data come from the desk's own tables and
 * data, exported at build time (scrub/findings_export.py translates each Python pattern into a JavaScript one
 * and packs the lexicon and gazetteer); this file holds only the code the Python detectors wrap around them
 * (people.py, places.py, institutions.py, numbers.py, dates.py, contact.py, characters.py, tokens.py and
 * detect() in __init__.py), written in the same order so each decision can be read beside its Python.
 * tests/browser/test_prepare.py runs both on the desk's labeled examples. Phone numbers are decided by
 * libphonenumber-js (a port of the library the desk uses); national numbers by check digits as python-stdnum
 * computes them.
 */
(function (root) {
  "use strict";

  /* The packed word data (findings_export.lexicon_text): inflated once with the browser's own DecompressionStream. */
  async function unpack(blob) {
    const lex = { names: new Map(), zipf: new Map(), places: new Map(), rawPlaces: new Map(), ordinaryPlaces: new Set() };
    if (!blob) return null;
    const bytes = Uint8Array.from(atob(blob), (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    const text = await new Response(stream).text();
    let add = () => {};
    let prev = "";
    for (const line of text.split("\n")) {
      if (line[0] === "\0") {
        const [title, value] = line.slice(1).split(" ");
        const n = Number(value);
        prev = "";
        if (title === "names") add = (w) => lex.names.set(w, n);
        else if (title === "zipf") { const z = 9 - n / 100; add = (w) => lex.zipf.set(w, z); }
        else if (title === "place") add = (w) => lex.places.set(w, n);
        else if (title === "raw-place") add = (w) => lex.rawPlaces.set(w, n);
        else if (title === "ordinary-place") add = (w) => lex.ordinaryPlaces.add(w);
        else add = () => {};
        continue;
      }
      const word = prev.slice(0, line.charCodeAt(0) - 32) + line.slice(1);
      add(word);
      prev = word;
    }
    return lex;
  }

  function make(D, phoneFinder, L) {
    const P = {}, STICKY = {};
    const missing = new Set(D.unavailable || []);
    const grouped = new Set(D.grouped || []);
    const compile = (name) => {
      try {
        const flags = D.patterns[name].flags + (grouped.has(name) ? "d" : "");
        P[name] = new RegExp(D.patterns[name].source, flags + "g");
        STICKY[name] = new RegExp(D.patterns[name].source, flags + "y");
      } catch (err) {
        delete P[name];  // this browser cannot run it: listed in `missing` when a detector asks for it
      }
    };
    for (const name of Object.keys(D.patterns)) compile(name);
    if (!L) missing.add("lexicon");
    const lexicon = L || { names: new Map(), zipf: new Map(), places: new Map(), rawPlaces: new Map(), ordinaryPlaces: new Set() };
    const tb = D.tables, dv = D.derived;
    const set = (xs) => new Set(xs || []);
    const T = {
      publicNames: set(tb.public.names), publicLower: set(dv.public_lower),
      publicDomains: tb.public.domains || [], publicCodes: set(dv.public_codes),
      regions: dv.regions || [], usernameWords: dv.username_words || [], priority: dv.priority,
    };
    const RANK = new Map(T.priority.map((k, i) => [k, i]));

    // A pattern the export could not give (a detector changed, or this browser cannot say it) finds nothing here:
    // it is listed in `missing`, the page says so, and the agreement test measures the difference.
    function* all(name, text) {
      const re = P[name];
      if (!re) { missing.add(name); return; }
      re.lastIndex = 0;
      for (const m of text.matchAll(re)) yield m;
    }
    const has = (name, text) => { const re = P[name]; if (!re) { missing.add(name); return false; } re.lastIndex = 0; return re.test(text); };
    /* pattern.match(text, pos): anchored at pos, look-behinds still see the text before it. */
    function matchAt(name, text, pos) {
      const re = STICKY[name];
      if (!re) { missing.add(name); return null; }
      re.lastIndex = pos;
      return re.exec(text);
    }
    /* scan.finditer_at: the pattern tried only at `starts` (ascending), skipping those inside the previous match. */
    function* finditerAt(name, text, starts) {
      let end = 0;
      for (const pos of starts) {
        if (pos < end) continue;
        const m = matchAt(name, text, pos);
        if (m) { yield m; end = Math.max(m.index + m[0].length, pos + 1); }
      }
    }
    const matchFirst = (name, text) => { const re = P[name]; re.lastIndex = 0; return re.exec(text); };  // pattern.search
    const span = (m, g) => (g ? [m.indices[g][0], m.indices[g][1]] : [m.index, m.index + m[0].length]);
    const mEnd = (m) => m.index + m[0].length;
    const isDigit = (c) => /^\p{Nd}$/v.test(c);
    const isAscii = (s) => /^[\x00-\x7f]*$/.test(s);
    const countDigits = (s) => [...s].filter(isDigit).length;
    const lower = (s) => s.toLowerCase();
    // Python's str predicates, for the characters the detectors ask about.
    const isAlpha = (s) => s.length > 0 && /^\p{L}+$/v.test(s);
    const isAlnum = (c) => c.length > 0 && /^[\p{L}\p{N}]+$/v.test(c);
    const isUpper = (s) => s !== s.toLowerCase() && s === s.toUpperCase();
    const isSpace = (c) => /^\s$/v.test(c);
    const strip = (s) => s.trim();
    const rstripChars = (s, chars) => { let e = s.length; while (e > 0 && chars.includes(s[e - 1])) e--; return s.slice(0, e); };
    const stripChars = (s, chars) => { let b = 0; while (b < s.length && chars.includes(s[b])) b++; return rstripChars(s.slice(b), chars); };
    const splitWs = (s) => s.split(/\s+/v).filter(Boolean);
    /* str.split(None, 1) */
    const splitOnce = (s) => { const t = s.replace(/^\s+/v, ""); if (!t) return []; const m = /\s+/v.exec(t); return m ? [t.slice(0, m.index), t.slice(m.index + m[0].length)] : [t]; };
    const endsWithAny = (s, xs) => xs.some((x) => s.endsWith(x));
    /* A module-level word list of the detectors (findings_export._module_word_sets). */
    const wordSet = (name) => { if (!D.sets || !D.sets[name]) { missing.add(name); return []; } return D.sets[name]; };
    const mapOfLists = (pairs) => { const out = new Map(); for (const [k, v] of pairs) { if (!out.has(k)) out.set(k, []); out.get(k).push(v); } return out; };

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
      if (/^(?:\p{Nd}{4}-\p{Nd}{2}-\p{Nd}{2}|\p{Nd}+\.\p{Nd}+|\p{Nd}{5}-\p{Nd}{3})$/v.test(s)) return false;  // a date, a decimal, a CEP
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

    // numbers.py ------------------------------------------------------------------------------------------------
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
    function cardBrand(digits) {
      return dv.card_lengths.some((lengths, i) => !!matchAt("numbers.card_brand." + i, digits, 0) && lengths.includes(digits.length));
    }
    function* identifiers(text) {
      for (const m of all("numbers.PLATE", text)) if (anyDigit(m[1])) yield ["vehicle", ...span(m, 1)];
      for (const m of all("numbers.UK_PLATE", text)) yield ["vehicle", ...span(m)];
      for (const m of all("numbers.SSN", text)) yield ["ssn", ...span(m)];
      for (const m of all("numbers.SSN_CONTEXT", text)) yield ["ssn", ...span(m, 1)];
      for (const m of all("numbers.TEN_DIGITS", text)) if (npiValid(m[0])) yield ["npi", ...span(m)];
      for (const m of all("numbers.NPI_CONTEXT", text)) yield ["npi", ...span(m, 1)];
      for (const m of all("numbers.DEA", text)) if (deaValid(m[0])) yield ["dea", ...span(m)];
      for (const m of all("numbers.VIN", text)) if (anyDigit(m[0]) && vinValid(m[0])) yield ["vehicle", ...span(m)];
      for (const m of all("numbers.IMEI", text)) if (luhn(m[0]) && !cardBrand(m[0])) yield ["device", ...span(m)];
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
    function* cards(text) {
      for (const m of all("numbers.CARD", text)) {
        const raw = m[0];
        const digits = raw.replaceAll(" ", "").replaceAll("-", "");
        const groups = raw.split(/[ -]/);
        if (groups.length > 1 && groups.some((g) => g.length < 3)) continue;  // "4 12 2024 ..." is not one number
        if (cardBrand(digits) && luhn(digits)) yield ["card-number", ...span(m)];
      }
    }
    // python-stdnum's is_valid for the numbers numbers.NATIONAL_IDS names: separators removed, then the check digits.
    const clean = (s, chars) => [...s].filter((c) => !chars.includes(c)).join("").trim();
    const digitsOnly = (s) => /^[0-9]+$/.test(s);
    const mod = (a, b) => ((a % b) + b) % b;
    const dniLetter = (digits) => "TRWAGMYFPDXBNJZSQVHLCKE"[Number(digits) % 23];
    const CF_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
    const CF_DATE = "0123456789", CF_DATE_ALT = "LMNPQRSTUV", CF_MONTHS = "ABCDEHLMPRST", AZ = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    const cfDigit = (c) => (CF_DATE.includes(c) ? CF_DATE.indexOf(c) : CF_DATE_ALT.indexOf(c));
    const VALID = {
      "fr.nir"(raw) {
        let n = clean(raw, " .").toUpperCase();
        if (!digitsOnly(n.slice(0, 5)) || !digitsOnly(n.slice(7))) return false;
        if (!digitsOnly(n.slice(5, 7)) && !["2A", "2B"].includes(n.slice(5, 7))) return false;
        if (n.length !== 15) return false;
        const dept = n.slice(5, 7);
        if (dept === "2A") n = n.slice(0, 5) + "19" + n.slice(7); else if (dept === "2B") n = n.slice(0, 5) + "18" + n.slice(7);
        return String(97 - (Number(n.slice(0, 13)) % 97)).padStart(2, "0") === n.slice(13);
      },
      "it.codicefiscale"(raw) {
        const n = clean(raw, " -:").toUpperCase();
        if (n.length !== 16) return false;  // (an 11-digit VAT number never matches the pattern before it)
        if (!/^[A-Z]{6}[0-9LMNPQRSTUV]{2}[ABCDEHLMPRST][0-9LMNPQRSTUV]{2}[A-Z][0-9LMNPQRSTUV]{3}[A-Z]$/.test(n)) return false;
        let code = 0;
        for (let i = 0; i < 15; i++) {
          const c = n[i], v = CF_DATE.includes(c) ? CF_DATE.indexOf(c) : AZ.indexOf(c);
          code += i % 2 === 0 ? CF_ODD[v] : v;
        }
        if (AZ[code % 26] !== n[15]) return false;
        const day = (cfDigit(n[9]) * 10 + cfDigit(n[10])) % 40, month = CF_MONTHS.indexOf(n[8]) + 1;
        let year = cfDigit(n[6]) * 10 + cfDigit(n[7]) + 1900;
        if (year < 1920) year += 100;
        return day >= 1 && day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
      },
      "es.dni"(raw) {
        const n = clean(raw, " -").toUpperCase();
        return digitsOnly(n.slice(0, -1)) && n.length === 9 && dniLetter(n.slice(0, -1)) === n.slice(-1);
      },
      "es.nie"(raw) {
        const n = clean(raw, " -").toUpperCase();
        if (!digitsOnly(n.slice(1, -1)) || !"XYZ".includes(n.slice(0, 1))) return false;
        return n.length === 9 && dniLetter(String("XYZ".indexOf(n[0])) + n.slice(1, -1)) === n.slice(-1);
      },
      "br.cpf"(raw) {
        const n = clean(raw, " -.");
        if (!digitsOnly(n) || Number(n) <= 0 || n.length !== 11) return false;
        const d = [...n].map(Number);
        let d1 = 0, d2 = 0;
        for (let i = 0; i < 9; i++) { d1 += (10 - i) * d[i]; d2 += (11 - i) * d[i]; }
        d1 = mod(11 - d1, 11) % 10;
        d2 = mod(11 - (d2 + 2 * d1), 11) % 10;
        return `${d1}${d2}` === n.slice(-2);
      },
      "nl.bsn"(raw) {
        const n = clean(raw, " -.").padStart(9, "0");
        if (!digitsOnly(n) || Number(n) <= 0 || n.length !== 9) return false;
        const d = [...n].map(Number);
        let total = 0;
        for (let i = 0; i < 8; i++) total += (9 - i) * d[i];
        return mod(total - d[8], 11) === 0;
      },
      "de.idnr"(raw) {
        const n = clean(raw, " -./,");
        if (n.length !== 11 || !digitsOnly(n) || n.startsWith("0")) return false;
        const counts = {};
        for (const c of n.slice(0, 10)) counts[c] = (counts[c] || 0) + 1;
        const repeated = Object.values(counts).filter((c) => c > 1);
        if (repeated.length !== 1 || ![2, 3].includes(repeated[0])) return false;
        let check = 5;  // ISO 7064 mod 11, 10
        for (const c of n) check = (((check || 10) * 2) % 11 + Number(c)) % 10;
        return check === 1;
      },
      "gb.nhs"(raw) {
        const n = clean(raw, " -");
        if (!digitsOnly(n) || n.length !== 10) return false;
        let total = 0;
        [...n].reverse().forEach((c, i) => { total += (i + 1) * Number(c); });
        return total % 11 === 0;
      },
    };
    function ibanValid(raw) {
      const n = clean(raw, " -.").toUpperCase();
      const moved = n.slice(4) + n.slice(0, 4);
      if (!/^[0-9A-Z]+$/.test(moved)) return false;
      let rest = 0;  // ISO 7064 mod 97, 10
      for (const c of moved) {
        const v = /[0-9]/.test(c) ? c : String(c.charCodeAt(0) - 55);
        for (const d of v) rest = (rest * 10 + Number(d)) % 97;
      }
      if (rest !== 1) return false;
      const bban = dv.iban_bban[n.slice(0, 2)];
      if (bban === undefined || !new RegExp(bban).test(n.slice(4))) return false;
      const check = IBAN_COUNTRY[n.slice(0, 2)];  // python-stdnum's country modules for IBANs
      return !check || check(n);
    }
    const bigMod = (digits, m) => { let r = 0; for (const d of digits) r = (r * 10 + Number(d)) % m; return r; };
    const IBAN_COUNTRY = {
      BE(n) {  // be.iban: the account's own check digits, and a bank the registry knows
        const check = bigMod(n.slice(4, -2), 97);
        return n.slice(-2) === String(check || 97).padStart(2, "0") && (dv.iban_be_banks || []).includes(n.slice(4, 7));
      },
      ES(n) {  // es.ccc
        const ccc = n.slice(4);
        if (ccc.length !== 20 || !digitsOnly(ccc)) return false;
        const digit = (s) => { let c = 0; [...s].forEach((d, i) => { c += Number(d) * 2 ** i; }); c %= 11; return String(c < 2 ? c : 11 - c); };
        return ccc.slice(8, 10) === digit("00" + ccc.slice(0, 8)) + digit(ccc.slice(10));
      },
      ME: (n) => bigMod(n.slice(4), 97) === 1,  // me.iban
      NO(n) {  // no.kontonr
        let k = n.slice(4);
        if (k.startsWith("0000")) k = k.slice(4);
        if (!digitsOnly(k)) return false;
        if (k.length === 7) return luhn(k);
        if (k.length !== 11) return false;
        const weights = [6, 7, 8, 9, 4, 5, 6, 7, 8, 9];
        let total = 0;
        weights.forEach((w, i) => { total += w * Number(k[i]); });
        return String(total % 11) === k.slice(-1);
      },
    };
    function* nationalIds(text) {
      if (has("numbers.IBAN", text)) for (const m of all("numbers.IBAN", text)) if (ibanValid(m[0])) yield ["iban", ...span(m)];
      for (let i = 0; i < dv.national_validators.length; i++) {
        const validator = dv.national_validators[i];
        for (const m of all("numbers.national_id." + i, text)) {
          if (validator === null || (VALID[validator] ? VALID[validator](m[0]) : (missing.add("stdnum." + validator), false))) yield ["national-id", ...span(m)];
        }
      }
    }
    function* plates(text) {
      for (const m of all("numbers.PLATE_WORDS", text)) {
        const value = m[1];
        if ((anyDigit(value) && [...value].some(isAlpha)) || value.replaceAll(" ", "").length >= 5) {
          if (value.toUpperCase() === value) yield ["vehicle", ...span(m, 1)];
        }
      }
    }


    // lexicon.py: the desk's Lexicon methods, read from the exported flags ------------------------------
    const GIVEN = 1, SURNAME = 2, ORDINARY = 4, PLAIN = 8, EXPECTED_3 = 16;
    const key = (word) => { const low = lower(word); return isAscii(low) ? low : low.normalize("NFKD").replace(/\p{Mn}/gv, ""); };
    const flagsOf = (k) => lexicon.names.get(k) || 0;
    const LEX = {
      frequency: (w) => lexicon.zipf.get(lower(w)) || 0.0,
      isGiven(w) { const k = key(w); return !!(flagsOf(k) & GIVEN) || (k.includes("-") && k.split("-").every((p) => flagsOf(p) & GIVEN)); },
      isSurname(w) {
        const k = key(w);
        return !!(flagsOf(k) & SURNAME) || (k.includes("-") && k.split("-").every((p) => flagsOf(p) & (GIVEN | SURNAME)));
      },
      isNameWord(w) {
        const k = key(w);
        if (k.includes("-")) return k.split("-").every((p) => LEX.isNameWord(p));
        const f = flagsOf(k);
        return !!(f & (GIVEN | SURNAME)) && !(f & ORDINARY);
      },
      common(w) { const low = lower(w); return (lexicon.zipf.get(low) || 0.0) >= 3.6 && !LEX.isNameWord(low); },
      // name_excess(w) <= 0.8: a word outside the name lists is predicted no frequency at all
      plain(w) { const k = key(w); const f = lexicon.names.get(k); return f !== undefined ? !!(f & PLAIN) : !((lexicon.zipf.get(k) || 0.0) > 0.8); },
      expected3: (w) => !!(flagsOf(key(w)) & EXPECTED_3),
    };
    const placePop = (s) => lexicon.places.get(s);  // gazetteer + boroughs (places._names), by population band
    const rawPop = (s) => (lexicon.rawPlaces.has(s) ? lexicon.rawPlaces.get(s) : (lexicon.places.get(s) ?? 0));  // gazetteer.places()

    // tokens.py ------------------------------------------------------------------------------------------------
    const STARTERS = wordSet("tokens._STARTERS").join("");
    function wordBefore(text, start) {
      const lo = Math.max(0, start - 48);
      let j = start;
      while (j > lo && !isAlnum(text[j - 1])) j--;
      const gap = text.slice(j, start);
      if (gap.includes("\n")) {
        const brk = P["tokens._BLANK_LINE"] ? matchFirst("tokens._BLANK_LINE", gap) : (missing.add("tokens._BLANK_LINE"), null);
        if (brk) return ["", gap.slice(mEnd(brk)), false];  // the word before is in another paragraph: none
      }
      let possessive = false;
      if (j - 2 >= lo && "sS".includes(text[j - 1]) && "'’".includes(text[j - 2])) { possessive = true; j -= 2; }
      let k = j;
      while (k > lo && (isAlpha(text[k - 1]) || ("'’-".includes(text[k - 1]) && k - 2 >= lo && isAlpha(text[k - 2])))) k--;
      if (k === j) return ["", possessive ? text.slice(j, start) : gap, false];
      return [text.slice(k, j), gap, possessive];
    }
    let tokenCache = [null, null];
    function tokens(text) {
      if (tokenCache[0] === text) return tokenCache[1];
      const out = [];
      for (const m of all("tokens.CAPITAL_WORD", text)) {
        let word = m[0], end = mEnd(m);
        const possessive = word.slice(-2) === "'s" || word.slice(-2) === "’s";
        if (possessive) { word = word.slice(0, -2); end -= 2; } else if ("'’".includes(word.slice(-1))) { word = word.slice(0, -1); end -= 1; }
        const [before, gap, beforePossessive] = wordBefore(text, m.index);
        const stripped = strip(gap);
        let sentenceStart;
        if (!before) sentenceStart = true;
        else if (!stripped) sentenceStart = false;
        else if (stripped === "." && isUpper(before.slice(0, 1)) && before.length <= 3) sentenceStart = false;
        else sentenceStart = STARTERS.includes(stripped.slice(-1)) || ".!?".includes(stripped[0]);
        out.push({ start: m.index, end, text: word, possessive, dot: !possessive && text.slice(end, end + 1) === ".",
          sentenceStart, gap, before: lower(before), beforePossessive,
          cap: word.length === 1 || !isUpper(word), lower: lower(word) });
      }
      tokenCache = [text, out];
      return out;
    }
    function joined(tok, nxt) {
      if (nxt.start - tok.end > 3 || nxt.before !== tok.lower) return false;
      const gap = nxt.gap;
      return gap === " " || gap === "\n" || gap === "\u00a0" || (tok.dot && (gap === ". " || gap === ".\n") && tok.text.length <= 3);
    }
    function afterPhrase(text, tok, phrases) {
      const candidates = phrases.get(tok.before);
      const g = strip(tok.gap);
      if (!candidates || !(g === "" || g === "," || g === ":")) return false;
      const end = tok.start - tok.gap.length;
      const window = lower(text.slice(Math.max(0, end - 40), end));
      return candidates.some((p) => window.endsWith(p) && (window.length === p.length || !isAlnum(window[window.length - p.length - 1])));
    }

    // people.py ------------------------------------------------------------------------------------------------
    const PT = tb.people;
    const MAX_WORDS = dv.max_name_words;
    const titles = new Set(PT.titles.map((w) => lower(rstripChars(w, "."))));
    const abbreviations = new Set(PT.titles.filter((w) => w.endsWith(".") || w.length <= 3).map((w) => lower(rstripChars(w, "."))));
    const lastWord = (p) => splitWs(p).slice(-1)[0];
    const intro = mapOfLists(PT.introducers.map((p) => [lastWord(p), p]));
    const placePhrases = mapOfLists(tb.places.context.map((p) => [lower(lastWord(p)), lower(p)]));
    const stop = set(PT.not_names);
    const eponyms = set(PT.eponym_followers);
    const locative = new Set(PT.locative.map(lower));
    const isInitial = (tok) => tok.text.length === 1 && isUpper(tok.text);

    function context(text, tok) {
      if (tok.beforePossessive) return false;  // "her mother's Volvo"
      const gap = strip(tok.gap);
      if (titles.has(tok.before) && (gap === "" || gap === "," || (gap === "." && abbreviations.has(tok.before)))) return true;
      return afterPhrase(text, tok, intro);
    }
    function* names(text) {
      yield* lowerCaseNames(text);
      const toks = tokens(text);
      const n = toks.length;
      let i = 0;
      while (i < n) {
        let tok = toks[i];
        const initial = isInitial(tok) && tok.dot;
        if (!tok.cap || (stop.has(tok.text) && !initial) || titles.has(tok.lower)) { i++; continue; }
        const ctx = context(text, tok);
        let j = i + 1;
        while (j < n && j - i < MAX_WORDS && !toks[j].sentenceStart && toks[j].cap) {
          const nxt = toks[j], prev = toks[j - 1];
          if (!joined(prev, nxt) && !matchAt("people.particle_gap", text.slice(0, nxt.start), prev.end)) break;
          if (text.slice(prev.end, nxt.start).includes("\n") && !ctx) break;
          if ((stop.has(nxt.text) && !(isInitial(nxt) && nxt.dot)) || titles.has(nxt.lower) || prev.possessive) break;
          j++;
        }
        let run = toks.slice(i, j);
        while (run.length > 1 && stop.has(run[run.length - 1].text)) run.pop();
        const endTok = run[run.length - 1];
        const after = splitOnce(text.slice(endTok.end, endTok.end + 24));
        const follower = after.length && !endTok.possessive ? lower(stripChars(after[0], ".,;:!?)")) : "";
        if (eponyms.has(follower) && !ctx) { i = j; continue; }
        const afterNumber = isDigit(rstripChars(tok.gap, " \t").slice(-1));  // "57566 Ann Freeway"
        if (!ctx && run.length >= 3 && LEX.common(run[0].text) && !looksLikeName(run, text)) {
          run = run.slice(1);  // "Baby Amara Osei"
          tok = run[0];
        }
        if ((ctx || (!afterNumber && looksLikeName(run, text))) && !afterPhrase(text, tok, placePhrases)) {
          yield ["name", run[0].start, endTok.end + (isInitial(endTok) && endTok.dot ? 1 : 0)];
        }
        i = j;
      }
    }
    const lowerName = (w) => LEX.isGiven(w) && (LEX.plain(w) || LEX.frequency(w) < 3.7);
    const lowerSurname = (w) => lowerName(w) || (LEX.isSurname(w) && LEX.plain(w)) ||
      (LEX.frequency(w) === 0 && isAlpha(w) && w.length > 1);
    function* lowerCaseNames(text) {
      for (const t of all("people.lower_trigger", text)) {
        if (t.index && (isAlnum(text[t.index - 1]) || text[t.index - 1] === "_")) continue;
        const m = matchAt("people.lower_rest", text, mEnd(t));
        if (!m) continue;
        const at = m.indices[1][0];
        const words = [...m[1].matchAll(/\S+/gv)];
        if (!words.length || !lowerName(words[0][0])) continue;
        let keep = 1;
        while (keep < words.length && lowerSurname(words[keep][0])) keep++;
        if (keep >= 2) yield ["name", at, at + words[keep - 1].index + words[keep - 1][0].length];
      }
    }
    function looksLikeName(run, text) {
      const first = run[0], last = run[run.length - 1];
      if (run.length >= 2) {
        const phrase = run.map((t) => t.text).join(" ");
        if (rawPop(phrase) !== 0 || T.publicNames.has(phrase)) return false;
        if (isInitial(first)) return first.dot && (LEX.isSurname(last.text) || !LEX.common(last.text)) && !isInitial(last);
        if (isInitial(last)) return last.dot && (LEX.isGiven(first.text) || LEX.frequency(first.text) === 0) && run.length <= 3;
        if (run.slice(1).some((t) => !isInitial(t) && LEX.common(t.text))) return false;
        const given = LEX.isGiven(first.text);
        if (given && LEX.isNameWord(first.text) && (LEX.isSurname(last.text) || !LEX.common(last.text))) return true;
        if (given && ((LEX.isSurname(last.text) && LEX.isNameWord(last.text)) || LEX.frequency(last.text) < 3.0)) return true;
        return (!first.sentenceStart || LEX.isNameWord(first.text)) &&
          run.every((t) => LEX.frequency(t.text) < 3.0 && rawPop(t.text) < 15000);
      }
      const word = first;
      if (isInitial(word) || !LEX.isNameWord(word.text) || isUpper(word.text)) return false;
      if ((locative.has(word.before) && rawPop(word.text) > 0) || rawPop(word.text) >= 100000) return false;
      if (LEX.isGiven(word.text)) {
        if (LEX.frequency(word.text) >= 3.0 && titleCase(text, word)) return false;
        return !word.sentenceStart || word.possessive || (LEX.frequency(word.text) < 3.6 && LEX.expected3(word.text));
      }
      return !word.sentenceStart && LEX.frequency(word.text) < 4.5 && !word.possessive && rawPop(word.text) < 1 && !titleCase(text, word);
    }
    function titleCase(text, tok) {
      const start = tok.start ? text.lastIndexOf("\n", tok.start - 1) + 1 : 0;
      const end = text.indexOf("\n", tok.end);
      const words = splitWs(text.slice(start, end >= 0 ? end : text.length)).filter((w) => isAlpha(w.slice(0, 1)) && w.length > 3);
      return words.length >= 2 && words.filter((w) => isUpper(w[0])).length >= 0.75 * words.length;
    }

    // places.py ------------------------------------------------------------------------------------------------
    const PL = tb.places;
    const streetSuffixes = PL.street_suffixes.map((s) => rstripChars(s, "."));
    function* addresses(text) {
      for (const m of all("places.HOUSE_NUMBER", text)) {
        let j = m.index;
        while (j > 0 && " \t".includes(text[j - 1])) j--;
        const k = j - (text.slice(Math.max(0, j - 1), j) === "." && j > 0 ? 1 : 0);
        let i = k;
        while (i > 0 && (isAlpha(text[i - 1]) || "-'’".includes(text[i - 1]))) i--;
        const word = text.slice(i, k);
        if (isUpper(word.slice(0, 1)) && word.length > 3 && endsWithAny(lower(word), streetSuffixes) && !streetSuffixes.includes(lower(word))) {
          yield ["place", i, mEnd(m)];
        }
      }
      for (const name of dv.place_patterns) {
        const full = "places." + name;
        const g = grouped.has(full) ? 1 : 0;
        for (const m of all(full, text)) {
          if ([...(m[g] || "")].some(isDigit) || name === "military") yield ["place", ...span(m, g)];
        }
      }
      for (let i = 0; i < dv.postcode_count; i++) {
        const full = "places.postcode." + i;
        const g = grouped.has(full) ? 1 : 0;
        for (const m of all(full, text)) yield ["place", ...span(m, g)];
      }
    }
    function* rooms(text) { for (const m of all("places.ROOM", text)) yield ["place", ...span(m)]; }
    let placeIndex = null;
    function firstsAndMost() {
      if (!placeIndex) {
        let most = 1;
        const firsts = new Set();
        for (const name of lexicon.places.keys()) {
          const words = name.split(" ");
          if (words.length > most) most = words.length;
          firsts.add(rstripChars(words[0], ".,"));
        }
        placeIndex = { most, firsts };
      }
      return placeIndex;
    }
    function* gazetteer(text) {
      const { most, firsts } = firstsAndMost();
      let end = -1;
      for (const tok of tokens(text)) {
        if (tok.start < end || !firsts.has(tok.text) || !tok.cap) continue;
        const words = text.slice(tok.start, tok.start + 80).split("\n")[0].split(" ").slice(0, most);  // no name spans a line
        let found = null;
        for (let k = words.length; k > 0 && !found; k--) {
          const phrase = words.slice(0, k).join(" ");
          const stripped = rstripChars(phrase, ".,;:!?)\"'’”");
          for (const candidate of stripped !== phrase ? [stripped, stripped + "."] : [phrase]) {
            const pop = placePop(candidate);
            if (pop !== undefined && !matchAt("places._WORD_CHAR", text, tok.start + candidate.length)) { found = [candidate, pop]; break; }
          }
        }
        if (!found) continue;
        const stopAt = tok.start + found[0].length, pop = found[1];
        end = stopAt;
        if (pop < 0) continue;  // a state or country, matched whole so the town inside it is not
        const oneWord = stopAt === tok.end;
        const ambiguous = oneWord && (lexicon.ordinaryPlaces.has(tok.text) || (LEX.isNameWord(tok.text) && pop < 100000) ||
          (tok.sentenceStart && LEX.frequency(tok.text) >= 3.0 && pop < 100000));
        const after = splitOnce(text.slice(stopAt, stopAt + 24));
        const follower = after.length && text.slice(stopAt, stopAt + 1) === " " ? lower(stripChars(after[0], ".,;:!?)")) : "";
        if ((!ambiguous || locative.has(tok.before)) && !eponyms.has(follower)) yield ["place", tok.start, stopAt];
      }
    }
    const NEAR = new Set(wordSet("places._NEAR"));
    const LOWER_STREETS = ["rue ", "impasse ", "allée ", "chemin ", "quai "];  // by_context's own (a local, not exported)
    function* byContext(text) {
      const toks = tokens(text);
      const present = new Set(toks.map((t) => t.text));
      for (const [name, words] of [["places.named_street", PL.street_prefixes_named], ["places.place_word", PL.place_words]]) {
        if (!words.some((w) => present.has(w)) && (name !== "places.named_street" || !LOWER_STREETS.some((w) => text.includes(w)))) continue;
        for (const m of all(name, text)) {
          if (!LEX.common(splitWs(m[0])[0]) || name === "places.named_street") yield ["place", m.index, mEnd(m)];
        }
      }
      for (let i = 0; i < toks.length; i++) {
        const tok = toks[i];
        if (!tok.cap) continue;
        if (NEAR.has(tok.before) && tok.gap === " " && LEX.frequency(tok.text) === 0 && !(LEX.isGiven(tok.text) || LEX.isSurname(tok.text)) &&
            !tok.possessive && tok.text.length > 3 && !(i + 1 < toks.length && joined(tok, toks[i + 1]))) {
          yield ["place", tok.start, tok.end];  // "then to Oakridge"
          continue;
        }
        if (!afterPhrase(text, tok, placePhrases)) continue;
        const run = [tok];
        while (run.length < 3 && i + run.length < toks.length && joined(run[run.length - 1], toks[i + run.length]) &&
               !toks[i + run.length].gap.includes("\n")) run.push(toks[i + run.length]);
        while (run.length && LEX.common(run[run.length - 1].text)) run.pop();
        if (run.length) yield ["place", run[0].start, run[run.length - 1].end];
      }
    }

    // institutions.py ----------------------------------------------------------------------------------------
    const IW = Object.fromEntries(Object.entries(dv.institution_first_words).map(([k, v]) => [k, new Set(v)]));
    const notBeforeGeneral = set(tb.institutions.not_before_general);
    const REACH = dv.institution_reach;
    function* institutions(text) {
      const toks = tokens(text);
      const present = new Set(toks.map((t) => t.text));
      const meets = (words) => [...words].some((w) => present.has(w));
      const at = (kind) => (meets(IW[kind]) ? toks.filter((t) => IW[kind].has(t.text)).map((t) => t.start) : []);
      const suffixEnds = meets(IW.suffix) ? toks.filter((t) => IW.suffix.has(t.text)).map((t) => t.end) : [];
      const near = suffixEnds.length ? toks.filter((t) => suffixEnds.some((e) => e - t.start >= 0 && e - t.start <= REACH)).map((t) => t.start) : [];
      const publicLower = [...T.publicLower];
      for (const [name, starts] of [["institutions.institution", near], ["institutions.institution_of", at("of")]]) {
        for (const m of finditerAt(name, text, starts)) {
          const found = m[0];
          const lead = matchAt("institutions._LEADING", found, 0);
          const skip = lead ? lead[0].length : 0;
          const value = found.slice(skip);
          const low = splitWs(lower(value)).join(" ");
          if (splitWs(value).length < 2 || T.publicLower.has(low) ||
              publicLower.some((p) => low.startsWith(p + " ") && ["", "health"].includes(low.slice(p.length + 1)))) continue;
          yield ["institution", m.index + skip, mEnd(m)];
        }
      }
      const saints = [...new Set([...at("saint"), ...toks.filter((t) => t.possessive).map((t) => t.start)])].sort((a, b) => a - b);
      for (const m of finditerAt("institutions.saint", text, saints)) yield ["institution", m.index, mEnd(m)];
      if (meets(IW.named)) {
        const before = [];
        toks.forEach((t, i) => { if (i && IW.named.has(t.text)) before.push(toks[i - 1].start); });
        for (const m of finditerAt("institutions.named", text, before)) {
          const word = m[1];  // "Toronto General", not "Surgeon General"
          if (!notBeforeGeneral.has(word) && LEX.frequency(word) < 4.5 && !T.publicLower.has(lower(word))) yield ["institution", m.index, mEnd(m)];
        }
      }
      for (const m of finditerAt("institutions.prefixed", text, at("prefixed"))) yield ["institution", m.index, mEnd(m)];
      for (const m of finditerAt("institutions.known", text, at("known"))) yield ["institution", m.index, mEnd(m)];
    }

    // dates.py ------------------------------------------------------------------------------------------------
    function* dates(text) {
      for (const name of D.date_patterns) {
        for (const m of all(name, text)) yield grouped.has(name) ? ["date", ...span(m, 1)] : ["date", ...span(m)];
      }
    }
    function* ages(text) { for (const m of all("dates.AGE", text)) yield ["age", ...span(m)]; }
    function* agesInWords(text) {
      const low = lower(text);
      if (!low.includes("ninet") && !low.includes("hundred")) return;
      for (const m of all("dates.AGE_WORDS", text)) yield m[1] ? ["age", ...span(m, 1)] : ["age", ...span(m)];
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


    // detect() in __init__.py ---------------------------------------------------------------------------------
    const WHOLE = [emails, urls, ipv6, handles, macs, institutions, gazetteer, byContext, names, agesInWords, hidden, lookalike];
    const DIGITS = [ipv4, identifiers, cards, nationalIds, plates, phones, dates, ages, addresses, rooms, codes];
    function* paragraphs(text) {
      let start = 0;
      for (const brk of [...all("findings._PARAGRAPH_BREAK", text), null]) {
        const end = brk ? brk.index : text.length;
        if (end > start) yield [start, text.slice(start, end)];
        start = brk ? brk.index + brk[0].length : end;
      }
    }
    function spans(text) {
      const found = [];
      for (const d of WHOLE) for (const [kind, s, e] of d(text)) if (e > s) found.push([s, e, kind]);
      for (const [offset, para] of paragraphs(text)) {
        if (!/\p{Nd}/v.test(para)) continue;
        for (const d of DIGITS) for (const [kind, s, e] of d(para)) if (e > s) found.push([offset + s, offset + e, kind]);
      }
      return found.filter(([s, e]) => !text.slice(s, e).includes("\n") || !has("findings._PARAGRAPH_BREAK", text.slice(s, e)));
    }
    const WORDS = new Set(["institution", "name", "place"]);
    const FREE = new Set(["hidden-character", "lookalike"]);
    const rank = (k) => (RANK.has(k) ? RANK.get(k) : 99);
    const order = ([s, e, kind]) => (WORDS.has(kind) ? [RANK.get("institution"), -(e - s), rank(kind), s] : [rank(kind), -(e - s), 0, s]);
    const compare = (a, b) => { for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1; return 0; };

    /* Every finding in `text`: [{kind, text, line, start, end}] (start/end in UTF-16 units), in order. */
    function detect(text) {
      const found = spans(text).map((s) => [order(s), s]).sort((a, b) => compare(a[0], b[0])).map((x) => x[1]);
      // Words inside a public name are never a name, place or institution (a longer finding that holds one is).
      const insidePublic = [...all("findings.public_names", text)].map((m) => [m.index, mEnd(m)]);
      let kept = [];
      for (const [start, end, kind] of found) {
        if (FREE.has(kind)) { kept.push([start, end, kind]); continue; }
        if (WORDS.has(kind) && insidePublic.some(([s, e]) => s <= start && end <= e)) continue;
        const overlapping = kept.filter((k) => k[0] < end && start < k[1] && !FREE.has(k[2]));
        if (!overlapping.length) kept.push([start, end, kind]);
        else if (kind === "place" && overlapping.every((k) => k[2] === kind)) {
          kept = kept.filter((k) => !overlapping.includes(k));  // parts of one address found by different rules
          kept.push([Math.min(start, ...overlapping.map((k) => k[0])), Math.max(end, ...overlapping.map((k) => k[1])), kind]);
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

  /* The page's detector, once the packed word data is inflated (a page without it still runs the rest, and says so). */
  async function load(D, phoneFinder) {
    let lexicon = null;
    try { lexicon = await unpack(D.lexicon); } catch (err) { lexicon = null; }
    return make(D, phoneFinder, lexicon);
  }

  /* libphonenumber-js's metadata as the desk's phonenumbers reads lengths: with POSSIBLE leniency phonenumbers also
   * takes a number of a length dialled only locally ("9083 1815" in GB), which libphonenumber-js's one list of
   * lengths leaves out; the desk's local-only lengths per region (exported from phonenumbers) are added to it. */
  function phoneMetadata(metadata, D) {
    const copy = JSON.parse(JSON.stringify(metadata));
    for (const [region, lengths] of Object.entries(D.derived.phone_local_lengths || {})) {
      const country = copy.countries[region];
      if (country && Array.isArray(country[3])) country[3] = [...new Set([...country[3], ...lengths])].sort((a, b) => a - b);
    }
    return copy;
  }

  root.UnsignedFindings = { make, unpack, load, phoneMetadata };
})(typeof window !== "undefined" ? window : globalThis);
