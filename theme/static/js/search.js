// Start Pagefind's UI on the search page only. It loads its index from this site, nothing else.
window.addEventListener("DOMContentLoaded", function () {
  /* global PagefindUI */
  new PagefindUI({ element: "#search", showSubResults: false, showImages: false, resetStyles: false,
                   translations: { placeholder: "Search the essays" } });
});
