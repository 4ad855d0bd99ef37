// The draft editor's live validation swaps each field's error text in out of band; mirror it on the field as
// aria-invalid, so screen readers announce the field as invalid and the red border follows the message.
document.addEventListener("htmx:afterSettle", function () {
  document.querySelectorAll("p.field-error[id$='_error']").forEach(function (error) {
    var field = document.getElementById(error.id.slice(0, -"_error".length));
    if (field) {
      field.setAttribute("aria-invalid", error.textContent.trim() ? "true" : "false");
    }
  });
});

// A finding's proposal ("Apply: retry every 8 h") fills the fields it names with the nearest values that clear
// it; the fields' own events then run the live check (and the unsaved-changes guard), as if typed.
document.addEventListener("click", function (event) {
  var button = event.target.closest ? event.target.closest("button.apply-proposal") : null;
  if (!button) {
    return;
  }
  var values = JSON.parse(button.getAttribute("data-apply") || "{}");
  Object.keys(values).forEach(function (name) {
    var field = document.getElementById("id_" + name);
    if (!field) {
      return;
    }
    field.value = values[name];
    field.dispatchEvent(new Event("input", { bubbles: true }));
    field.dispatchEvent(new Event("change", { bubbles: true }));
  });
});
