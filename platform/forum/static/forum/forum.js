// A usual rejection reason fills the reason field (the field still accepts any text).
document.querySelectorAll("[data-reason]").forEach((button) => {
  button.addEventListener("click", () => {
    const field = button.form.querySelector("[name=reason]");
    field.value = button.dataset.reason;
    field.focus();
  });
});
