/* "Prepare your essay": clean, check and seal an essay on the writer's own device.
 *
 * Nothing here sends anything anywhere: files are read with the File API, a .docx is unzipped with
 * the browser's DecompressionStream, photos are redrawn on a canvas (which writes no metadata and
 * keeps them upright), findings come from the desk's own rules (findings.js), and the sealed file is
 * encrypted to the desk's public key with age (the vendor bundle) and handed to the browser as a download.
 */
(function () {
  "use strict";
  const $ = (id) => document.getElementById(id);
  const config = JSON.parse($("prepare-config").textContent);
  const rules = JSON.parse($("prepare-findings-data").textContent);
  const V = window.UnsignedVendor;
  // The desk's detectors need their word data inflated first (a moment): until then the page checks nothing.
  let finder = null;
  const phoneMetadata = window.UnsignedFindings.phoneMetadata(V.metadata, rules);
  const finderReady = window.UnsignedFindings.load(rules, (text, region) =>
    V.findNumbers(text, { defaultCountry: region, leniency: "POSSIBLE", v2: true }, phoneMetadata));

  const state = { photos: [], removed: [], nextPhoto: 1 };
  const text = $("prepare-text");
  const W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
  const A = "http://schemas.openxmlformats.org/drawingml/2006/main";
  const R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

  // ---- what was removed (shown to the writer only; never sealed) -----------------------------------------
  function removed(what, detail) {
    state.removed.push({ what, detail: detail || "" });
    renderRemoved();
  }
  function renderRemoved() {
    const list = $("prepare-removed");
    list.replaceChildren(...state.removed.map(({ what, detail }) => {
      const li = document.createElement("li");
      const strong = document.createElement("strong");
      strong.textContent = what;
      li.append(strong, detail ? ": " + detail : "");
      return li;
    }));
    $("prepare-removed-none").hidden = state.removed.length > 0;
  }

  // ---- zip (a .docx is one) ------------------------------------------------------------------------------------
  async function inflate(bytes) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }
  function unzip(buffer) {
    const dv = new DataView(buffer);
    let eocd = -1;
    for (let i = buffer.byteLength - 22; i >= Math.max(0, buffer.byteLength - 65557); i--) {
      if (dv.getUint32(i, true) === 0x06054b50) { eocd = i; break; }
    }
    if (eocd < 0) throw new Error("this file is not a Word document (.docx)");
    const count = dv.getUint16(eocd + 10, true);
    let p = dv.getUint32(eocd + 16, true);
    const entries = new Map();
    const names = new TextDecoder();
    for (let n = 0; n < count; n++) {
      if (dv.getUint32(p, true) !== 0x02014b50) throw new Error("the .docx is damaged");
      const method = dv.getUint16(p + 10, true), size = dv.getUint32(p + 20, true);
      const nameLen = dv.getUint16(p + 28, true), extra = dv.getUint16(p + 30, true), comment = dv.getUint16(p + 32, true);
      const local = dv.getUint32(p + 42, true);
      const name = names.decode(new Uint8Array(buffer, p + 46, nameLen));
      const start = local + 30 + dv.getUint16(local + 26, true) + dv.getUint16(local + 28, true);
      const raw = new Uint8Array(buffer, start, size);
      entries.set(name, () => (method === 0 ? Promise.resolve(raw) : method === 8 ? inflate(raw) : Promise.reject(new Error("unsupported compression"))));
      p += 46 + nameLen + extra + comment;
    }
    return entries;
  }
  async function xml(entries, name) {
    if (!entries.has(name)) return null;
    const bytes = await entries.get(name)();
    return new DOMParser().parseFromString(new TextDecoder().decode(bytes), "application/xml");
  }
  const local = (el) => el.localName;

  // ---- .docx -----------------------------------------------------------------------------------------------------
  async function readDocx(file) {
    const entries = unzip(await file.arrayBuffer());
    const doc = await xml(entries, "word/document.xml");
    if (!doc) throw new Error("this file is not a Word document (.docx)");
    await describeProperties(entries);
    const rels = new Map();
    const relDoc = await xml(entries, "word/_rels/document.xml.rels");
    if (relDoc) for (const r of relDoc.getElementsByTagName("Relationship")) rels.set(r.getAttribute("Id"), r.getAttribute("Target"));
    const authors = { ins: new Set(), del: new Set() };
    let deletedWords = 0;
    const photoNames = [];
    async function photo(embed) {
      const target = rels.get(embed);
      if (!target) return "";
      const path = target.startsWith("/") ? target.slice(1) : "word/" + target.replace(/^\.\//, "");
      if (!entries.has(path)) return "";
      const bytes = await entries.get(path)();
      const name = await addPhoto(new File([bytes], path.split("/").pop()), true);
      photoNames.push(name);
      return name ? `\n\n![Photo ${name.match(/\d+/)[0]}](${name})\n\n` : "";
    }
    async function walk(node) {
      let out = "";
      for (const child of node.children) {
        const name = local(child);
        if (child.namespaceURI === W && (name === "del" || name === "moveFrom")) {
          authors.del.add(child.getAttributeNS(W, "author") || "");
          deletedWords += child.textContent.split(/\s+/).filter(Boolean).length;
          continue;
        }
        if (child.namespaceURI === W && (name === "ins" || name === "moveTo")) authors.ins.add(child.getAttributeNS(W, "author") || "");
        if (child.namespaceURI === W) {
          if (name === "t") { out += child.textContent; continue; }
          if (name === "tab") { out += "\t"; continue; }
          if (name === "br" || name === "cr") { out += "\n"; continue; }
          if (["rPr", "pPr", "delText", "instrText", "commentReference", "commentRangeStart", "commentRangeEnd",
               "footnoteReference", "endnoteReference", "sectPr", "bookmarkStart", "bookmarkEnd"].includes(name)) continue;
        }
        if (child.namespaceURI === A && name === "blip") { out += await photo(child.getAttributeNS(R, "embed")); continue; }
        out += await walk(child);
      }
      return out;
    }
    const paragraphs = [];
    for (const p of doc.getElementsByTagNameNS(W, "p")) {
      if (p.parentElement && p.parentElement.closest && hasAncestorParagraph(p)) continue;
      let line = (await walk(p)).replace(/[ \t]+$/g, "");
      const style = p.getElementsByTagNameNS(W, "pStyle")[0];
      const level = style && /^(?:Heading|heading)\s*(\d)$/.exec(style.getAttributeNS(W, "val") || "");
      if (level && line.trim()) line = "#".repeat(Math.min(+level[1], 6)) + " " + line.trim();
      if (style && /^Title$/.test(style.getAttributeNS(W, "val") || "") && line.trim() && !$("prepare-title").value) {
        $("prepare-title").value = line.trim();
        continue;
      }
      paragraphs.push(line);
    }
    const nameList = (s) => [...s].filter(Boolean).join(", ") || "no name";
    if (authors.ins.size) removed("Tracked insertions", "accepted into the text; their author (" + nameList(authors.ins) + ") removed");
    if (authors.del.size) removed("Tracked deletions", `${deletedWords} deleted word(s) left out; their author (${nameList(authors.del)}) removed`);
    const comments = await xml(entries, "word/comments.xml");
    if (comments) {
      const all = [...comments.getElementsByTagNameNS(W, "comment")];
      if (all.length) removed("Comments", `${all.length} comment(s) by ${nameList(new Set(all.map((c) => c.getAttributeNS(W, "author"))))}`);
    }
    const people = await xml(entries, "word/people.xml");
    if (people && people.documentElement.children.length) removed("Reviewer list", `${people.documentElement.children.length} person(s)`);
    const settings = await xml(entries, "word/settings.xml");
    if (settings && settings.getElementsByTagNameNS(W, "rsid").length) removed("Editing-session ids", "numbers that can match this file to others from the same computer");
    const parts = [...entries.keys()];
    if (parts.some((n) => /^word\/(?:header|footer)\d*\.xml$/.test(n))) removed("Page headers and footers", "left out (they often hold a name or a department)");
    let notes = 0;
    for (const name of ["word/footnotes.xml", "word/endnotes.xml"]) {
      const part = await xml(entries, name);
      if (part) notes += [...part.documentElement.children].filter((n) => !n.getAttributeNS(W, "type")).length;
    }
    if (notes) removed("Footnotes and endnotes", `${notes} left out: type them into the text if the essay needs them`);
    for (const name of entries.keys()) if (name.startsWith("customXml/") && name.endsWith(".xml") && !name.includes("/_rels/")) { removed("Custom XML parts", "attached data"); break; }
    return paragraphs.join("\n\n").replace(/\n{3,}/g, "\n\n").trim() + "\n";
  }
  function hasAncestorParagraph(p) {
    for (let e = p.parentElement; e; e = e.parentElement) if (e.namespaceURI === W && local(e) === "p") return true;
    return false;
  }
  async function describeProperties(entries) {
    const fields = [];
    const core = await xml(entries, "docProps/core.xml");
    if (core) {
      for (const el of core.documentElement.children) {
        if (el.textContent.trim()) fields.push(`${label(local(el))} “${el.textContent.trim()}”`);
      }
    }
    const app = await xml(entries, "docProps/app.xml");
    if (app) {
      for (const el of app.documentElement.children) {
        if (["Company", "Manager", "Template", "Application", "AppVersion", "TotalTime", "HyperlinkBase"].includes(local(el)) && el.textContent.trim()) {
          fields.push(`${label(local(el))} “${el.textContent.trim()}”`);
        }
      }
    }
    const custom = await xml(entries, "docProps/custom.xml");
    if (custom) for (const el of custom.documentElement.children) fields.push(`custom property “${el.getAttribute("name")}”`);
    if (fields.length) removed("Document properties", fields.join("; "));
  }
  const LABELS = { creator: "author", lastModifiedBy: "last saved by", created: "created", modified: "modified",
    lastPrinted: "last printed", revision: "revision", title: "title", subject: "subject", keywords: "keywords",
    description: "comments", category: "category", Company: "company", Manager: "manager", TotalTime: "editing minutes",
    AppVersion: "program version", HyperlinkBase: "link base" };
  const label = (n) => LABELS[n] || n;

  // ---- photos --------------------------------------------------------------------------------------------------------
  function exifSummary(bytes) {
    // What a photo carries, read from its bytes: EXIF (camera, times, owner, GPS), XMP, IPTC, comments, text chunks.
    const found = [];
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const ascii = (o, n) => String.fromCharCode(...bytes.subarray(o, o + n));
    if (bytes[0] === 0xff && bytes[1] === 0xd8) {
      let p = 2;
      while (p + 4 <= bytes.length && bytes[p] === 0xff) {
        const marker = bytes[p + 1], len = dv.getUint16(p + 2);
        if (marker === 0xda) break;
        if (marker === 0xe1 && ascii(p + 4, 6) === "Exif\0\0") found.push(...tiff(bytes.subarray(p + 10, p + 2 + len)));
        else if (marker === 0xe1) found.push("XMP metadata");
        else if (marker === 0xed) found.push("IPTC metadata");
        else if (marker === 0xfe) found.push("a comment");
        else if (marker === 0xe2 && ascii(p + 4, 11) === "ICC_PROFILE") found.push("a colour profile");
        p += 2 + len;
      }
    } else if (bytes[0] === 0x89 && ascii(1, 3) === "PNG") {
      let p = 8;
      while (p + 8 <= bytes.length) {
        const len = dv.getUint32(p), type = ascii(p + 4, 4);
        if (["tEXt", "iTXt", "zTXt"].includes(type)) found.push("a text note");
        if (type === "eXIf") found.push(...tiff(bytes.subarray(p + 8, p + 8 + len)));
        if (type === "tIME") found.push("the time it was saved");
        p += 12 + len;
      }
    } else if (ascii(0, 4) === "RIFF" && ascii(8, 4) === "WEBP") {
      let p = 12;
      while (p + 8 <= bytes.length) {
        const type = ascii(p, 4), len = dv.getUint32(p + 4, true);
        if (type === "EXIF") found.push(...tiff(bytes.subarray(p + 8 + (ascii(p + 8, 4) === "Exif" ? 6 : 0), p + 8 + len)));
        if (type === "XMP ") found.push("XMP metadata");
        p += 8 + len + (len & 1);
      }
    }
    return [...new Set(found)];
  }
  function tiff(t) {
    const out = [];
    if (t.length < 8) return ["EXIF data"];
    const dv = new DataView(t.buffer, t.byteOffset, t.byteLength);
    const le = t[0] === 0x49;
    const u16 = (o) => dv.getUint16(o, le), u32 = (o) => dv.getUint32(o, le);
    const str = (o, n) => String.fromCharCode(...t.subarray(o, o + n)).replace(/\0.*$/, "").trim();
    function ifd(off) {
      const tags = new Map();
      if (off + 2 > t.length) return tags;
      const n = u16(off);
      for (let i = 0; i < n && off + 2 + 12 * i + 12 <= t.length; i++) {
        const e = off + 2 + 12 * i, tag = u16(e), type = u16(e + 2), count = u32(e + 4);
        const size = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8][type] || 1;
        const at = size * count > 4 ? u32(e + 8) : e + 8;
        tags.set(tag, { type, count, at });
      }
      return tags;
    }
    const text = (e) => (e && e.at + e.count <= t.length ? str(e.at, e.count) : "");
    const rational = (e, i) => u32(e.at + 8 * i) / (u32(e.at + 8 * i + 4) || 1);
    try {
      const zero = ifd(u32(4));
      const camera = [text(zero.get(0x010f)), text(zero.get(0x0110))].filter(Boolean).join(" ");
      out.push(camera ? `camera (${camera})` : "EXIF data");
      if (zero.has(0x013b) || zero.has(0x8298)) out.push("owner or artist name");
      if (zero.has(0x8769)) {
        const exif = ifd(u32(zero.get(0x8769).at));
        if (exif.has(0x9003) || exif.has(0x9004)) out.push("date and time taken");
        if (exif.has(0xa430) || exif.has(0xa431)) out.push("camera owner or serial number");
      }
      if (zero.has(0x8825)) {
        const gps = ifd(u32(zero.get(0x8825).at));
        const lat = gps.get(2), lon = gps.get(4);
        if (lat && lon) {
          const deg = (e) => rational(e, 0) + rational(e, 1) / 60 + rational(e, 2) / 3600;
          const sign = (ref, neg) => (text(gps.get(ref)) === neg ? -1 : 1);
          out.push(`GPS location (${(sign(1, "S") * deg(lat)).toFixed(4)}, ${(sign(3, "W") * deg(lon)).toFixed(4)})`);
        } else out.push("GPS data");
      }
    } catch (err) {
      out.push("EXIF data");
    }
    return out;
  }
  async function cleanImage(file, type) {
    // Redrawn on a canvas: the browser turns it upright by its EXIF orientation, and a canvas writes pixels only.
    const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    const canvas = document.createElement("canvas");
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    canvas.getContext("2d").drawImage(bitmap, 0, 0);
    bitmap.close();
    const out = type === "image/png" ? "image/png" : "image/jpeg";
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, out, 0.92));
    if (!blob) throw new Error("the browser could not redraw this photo");
    return blob;
  }
  function sniff(bytes) {
    if (bytes[0] === 0xff && bytes[1] === 0xd8) return "image/jpeg";
    if (bytes[0] === 0x89 && bytes[1] === 0x50) return "image/png";
    if (String.fromCharCode(...bytes.subarray(8, 12)) === "WEBP") return "image/webp";
    if (String.fromCharCode(...bytes.subarray(0, 3)) === "GIF") return "image/gif";
    return "";
  }
  async function addPhoto(file, inDocument) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    const type = sniff(bytes);
    if (!type) {
      removed("A file that is not a photo", `“${file.name}” was left out`);
      return "";
    }
    const carried = exifSummary(bytes);
    const blob = await cleanImage(file, type);
    const name = `photo-${state.nextPhoto++}.${blob.type === "image/png" ? "png" : "jpg"}`;
    state.photos.push({ name, blob, url: URL.createObjectURL(blob) });
    removed(`Photo ${name.match(/\d+/)[0]}${inDocument ? " (in the document)" : ""}`,
      `file name “${file.name}” replaced by “${name}”` + (carried.length ? "; removed " + carried.join(", ") : "; it carried no metadata") +
      "; redrawn upright");
    renderPhotos();
    return name;
  }
  function renderPhotos() {
    $("prepare-photos").replaceChildren(...state.photos.map((p, i) => {
      const li = document.createElement("li");
      const img = document.createElement("img");
      img.src = p.url;
      img.alt = `Photo ${p.name.match(/\d+/)[0]}, as it will be sent`;
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = `Leave out ${p.name}`;
      button.addEventListener("click", () => {
        URL.revokeObjectURL(p.url);
        state.photos.splice(i, 1);
        text.value = text.value.split(`![Photo ${p.name.match(/\d+/)[0]}](${p.name})`).join("").replace(/\n{3,}/g, "\n\n");
        renderPhotos();
        check();
      });
      const caption = document.createElement("p");
      caption.textContent = p.name;
      li.append(img, caption, button);
      return li;
    }));
  }

  // ---- opening files -------------------------------------------------------------------------------------------------
  async function open(files) {
    const status = $("prepare-status");
    try {
      for (const file of files) {
        const lower = file.name.toLowerCase();
        if (lower.endsWith(".docx")) {
          removed("File name", `“${file.name}” is not sent`);
          text.value = (text.value.trim() ? text.value.trimEnd() + "\n\n" : "") + (await readDocx(file));
        } else if (lower.endsWith(".md") || lower.endsWith(".txt") || lower.endsWith(".markdown")) {
          removed("File name", `“${file.name}” is not sent`);
          const body = stripHeader(await file.text());
          text.value = (text.value.trim() ? text.value.trimEnd() + "\n\n" : "") + body;
        } else {
          const name = await addPhoto(file, false);
          if (name) text.value = text.value.trimEnd() + `\n\n![Photo ${name.match(/\d+/)[0]}](${name})\n`;
        }
      }
      status.textContent = "Opened. Nothing has left this device.";
    } catch (err) {
      status.textContent = "Could not open the file: " + err.message;
    }
    check();
  }
  function stripHeader(raw) {
    // A Markdown header ("Author: ...", "Title: ...") may carry names: only the title is kept.
    const text = raw.replace(/\r\n?/g, "\n").replace(/^\ufeff/, "");
    const m = /^((?:[A-Za-z_][\w -]*:[^\n]*\n)+)\n/.exec(text);
    if (!m) return text;
    const keys = [];
    for (const line of m[1].split("\n").filter(Boolean)) {
      const [key, ...rest] = line.split(":");
      if (/^title$/i.test(key.trim())) { if (!$("prepare-title").value) $("prepare-title").value = rest.join(":").trim(); } else keys.push(key.trim());
    }
    if (keys.length) removed("Header lines", keys.join(", "));
    return text.slice(m[0].length);
  }

  // ---- findings ------------------------------------------------------------------------------------------------------
  let timer = 0;
  function check() {
    if (!finder) return;
    const body = text.value;
    const title = $("prepare-title").value;
    const found = finder.detect(body);
    const titleFound = finder.detect(title);
    const marked = $("prepare-marked");
    const parts = [];
    let at = 0;
    for (const f of found) {
      if (f.start < at) continue;
      parts.push(document.createTextNode(body.slice(at, f.start)));
      const mark = document.createElement("mark");
      mark.className = "finding";
      mark.dataset.kind = f.kind;
      mark.textContent = f.text;
      const kind = document.createElement("span");
      kind.className = "finding-kind";
      kind.textContent = ` (${f.kind})`;
      mark.append(kind);
      parts.push(mark);
      at = f.end;
    }
    parts.push(document.createTextNode(body.slice(at)));
    marked.replaceChildren(...parts);
    const all = [...titleFound.map((f) => ({ ...f, where: "the title" })), ...found.map((f) => ({ ...f, where: `line ${f.line}` }))];
    $("prepare-findings").replaceChildren(...all.map((f) => {
      const li = document.createElement("li");
      li.dataset.kind = f.kind;
      const kind = document.createElement("strong");
      kind.textContent = f.kind;
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = `Replace “${f.text}” with [${f.kind}]`;
      button.addEventListener("click", () => {
        const field = f.where === "the title" ? $("prepare-title") : text;
        field.value = field.value.split(f.text).join(`[${f.kind}]`);
        check();
      });
      li.append(kind, `: “${f.text}” (${f.where}) `, button);
      return li;
    }));
    const gaps = finder.missing.size ? ` (${finder.missing.size} of the desk's checks could not run on this page; the desk runs them when your essay arrives.)` : "";
    $("prepare-summary").textContent = (all.length
      ? `${all.length} possible identifier(s) found. Change or remove each one, or keep it if it is public and safe.`
      : "No identifiers found by the desk's rules. Read it once more yourself: no tool knows your workplace.") + gaps;
  }
  text.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(check, 250); });
  $("prepare-title").addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(check, 250); });
  $("prepare-files").addEventListener("change", (e) => { open([...e.target.files]); e.target.value = ""; });

  // ---- sealing ----------------------------------------------------------------------------------------------------------
  async function base64(blob) {
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = "";
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }
  async function seal() {
    const status = $("prepare-sealed");
    if (!config.recipient) {
      status.textContent = "This site has not set up its desk key, so it cannot seal files yet.";
      return;
    }
    if (!text.value.trim()) {
      status.textContent = "There is no text to seal yet.";
      return;
    }
    const kind = $("prepare-reply-kind").value;
    const address = $("prepare-reply-address").value.trim();
    if (kind !== "none" && !address) {
      status.textContent = "Give the address the editor should reply to, or choose “No reply”.";
      $("prepare-reply-address").focus();
      return;
    }
    const used = state.photos.filter((p) => text.value.includes(`(${p.name})`));
    const payload = {
      format: "unsigned-sealed-essay",
      version: 1,
      title: $("prepare-title").value.trim(),
      text: text.value.replace(/\r\n?/g, "\n"),
      reply: kind === "none" ? null : { kind, address },
      photos: await Promise.all(used.map(async (p) => ({ name: p.name, type: p.blob.type, data: await base64(p.blob) }))),
    };
    const encrypter = new V.Encrypter();
    encrypter.addRecipient(config.recipient);
    const sealed = await encrypter.encrypt(new TextEncoder().encode(JSON.stringify(payload)));
    const url = URL.createObjectURL(new Blob([sealed], { type: "application/octet-stream" }));
    const link = $("prepare-download");
    link.href = url;
    link.download = "sealed-essay.age";
    link.hidden = false;
    link.click();
    status.textContent = `Sealed: ${sealed.length} bytes that only the desk can open. Send “sealed-essay.age” through one of the ways on the submit page.`;
  }
  $("prepare-seal").addEventListener("click", () => { seal().catch((err) => { $("prepare-sealed").textContent = "Could not seal: " + err.message; }); });
  $("prepare-reply-kind").addEventListener("change", () => {
    const none = $("prepare-reply-kind").value === "none";
    $("prepare-reply-address").disabled = none;
  });
  $("prepare-reply-address").disabled = $("prepare-reply-kind").value === "none";
  $("prepare-summary").textContent = "Loading the desk's checks (names, places, numbers)…";
  finderReady.then((ready) => {
    finder = ready;
    window.UnsignedPrepare = { detect: finder.detect };  // the page's own detector, for tests and the curious
    document.documentElement.classList.add("prepare-ready");
    check();
  });
})();
