// The media library's picker window: hand the chosen image to the body editor
// (django-prose-editor's Figure "Browse..." button speaks CKEditor's protocol).
document.addEventListener("click", (event) => {
  const button = event.target.closest(".picker button[data-id]");
  if (!button) return;
  const list = button.closest(".picker");
  const editor = window.opener && window.opener.CKEDITOR;
  if (!editor) return;
  editor.tools.callFunction(Number(list.dataset.funcNum), button.dataset.url, {
    id: button.dataset.id,
    alternative_text: button.dataset.alt,
    caption: button.dataset.caption,
  });
  window.close();
});
