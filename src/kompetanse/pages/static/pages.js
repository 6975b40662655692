// Progressive enhancement: every page works without this file.
// Filter forms marked data-autosubmit apply as soon as a choice changes; the button stays
// for keyboard and no-JavaScript users. After such a reload, focus returns to the same control.
(function () {
  "use strict";
  var key = "kompetanse-refocus";
  document.querySelectorAll("form[data-autosubmit]").forEach(function (form) {
    form.addEventListener("change", function (event) {
      if (event.target && event.target.id) {
        try { sessionStorage.setItem(key, event.target.id); } catch (e) { /* private mode */ }
      }
      form.submit();
    });
  });
  try {
    var id = sessionStorage.getItem(key);
    if (id) {
      sessionStorage.removeItem(key);
      var element = document.getElementById(id);
      if (element) { element.focus(); }
    }
  } catch (e) { /* private mode */ }
})();
