// The draft editor's safety nets: warn before leaving with unsaved changes, and let a superseded live
// check go without a console error.
(function () {
  var form = document.querySelector("form[data-editor-form]");
  if (!form) {
    return;
  }

  // Unsaved changes: what the form holds now against what it held when the page was drawn. A page drawn after a
  // refused save holds typed values that are not saved yet ("unsaved"), so leaving it warns from the start.
  function snapshot() {
    var pairs = [];
    new FormData(form).forEach(function (value, name) {
      if (name !== "csrfmiddlewaretoken") {
        pairs.push(name + "=" + value);
      }
    });
    return pairs.join("&");
  }
  var saved = form.dataset.editorForm === "unsaved" ? null : snapshot();
  var leavingBySubmit = false;
  form.addEventListener("submit", function () {
    leavingBySubmit = true;
  });
  window.addEventListener("beforeunload", function (event) {
    if (leavingBySubmit || snapshot() === saved) {
      return;
    }
    event.preventDefault();
    event.returnValue = ""; // browsers show their own words: "Changes you made may not be saved."
  });
  window.planner = window.planner || {};
  window.planner.hasUnsavedChanges = function () {
    return snapshot() !== saved;
  };

  // hx-sync="this:replace" aborts the check still running when the planner types on; htmx reports every abort
  // with console.error. An abort we asked for is no error: silence exactly that report, nothing else.
  var inFlight = null;
  form.addEventListener("htmx:beforeSend", function (event) {
    inFlight = event.detail.xhr;
  });
  form.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.xhr === inFlight) {
      inFlight = null;
    }
  });
  form.addEventListener("htmx:abort", function () {
    var xhr = inFlight;
    if (!xhr || typeof xhr.onabort !== "function") {
      return;
    }
    var report = xhr.onabort;
    xhr.onabort = function () {
      var error = console.error;
      console.error = function () {};
      try {
        return report.apply(this, arguments);
      } finally {
        console.error = error;
      }
    };
  });
})();
