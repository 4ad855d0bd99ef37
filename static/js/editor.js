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
