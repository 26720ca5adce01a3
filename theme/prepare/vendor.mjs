// The npm packages the "Prepare your essay" page runs, pinned in package-lock.json and bundled at build time
// (plugins/anonymize/pelican_plugin/output/prepare_page.py): age to seal, libphonenumber-js to find phone numbers
// (its core with the "min" metadata, which the page adjusts to read lengths as the desk's phonenumbers does).
import { Encrypter } from "age-encryption";
import { findNumbers } from "libphonenumber-js/core";
import metadata from "libphonenumber-js/min/metadata";

window.UnsignedVendor = { Encrypter, findNumbers, metadata };
