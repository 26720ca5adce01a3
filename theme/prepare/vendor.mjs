// The npm packages the "Prepare your essay" page runs, pinned in package-lock.json and bundled at build time
// (plugins/anonymize/pelican_plugin/output/prepare_page.py): age to seal, libphonenumber-js to find phone numbers.
import { Encrypter } from "age-encryption";
import { findNumbers } from "libphonenumber-js/min";

window.UnsignedVendor = { Encrypter, findNumbers };
