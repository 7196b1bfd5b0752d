// Reply links fill the comment form's hidden parent field (CSP: no inline scripts).
document.addEventListener("click", (event) => {
  const reply = event.target.closest(".reply-link");
  const parent = document.getElementById("comment-parent");
  if (reply && parent) {
    parent.value = reply.dataset.replyTo;
    document.getElementById("reply-name").textContent = reply.dataset.replyName;
    document.getElementById("reply-note").classList.remove("d-none");
    document.getElementById("id_body").focus();
  }
  if (event.target.id === "reply-cancel" && parent) {
    parent.value = "";
    document.getElementById("reply-note").classList.add("d-none");
  }
});
