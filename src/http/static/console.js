// Progressive help for the console; every page works without it.
// A file chosen in <input type="file" data-into="id"> is read (as UTF-8 text) into the textarea with that id,
// so CSV imports need no multipart upload.
document.addEventListener('change', function (event) {
  var input = event.target;
  if (!input || !input.matches || !input.matches('input[type=file][data-into]')) return;
  var target = document.getElementById(input.getAttribute('data-into'));
  var file = input.files && input.files[0];
  if (!target || !file) return;
  var reader = new FileReader();
  reader.onload = function () { target.value = String(reader.result || '').replace(/^\uFEFF/, ''); };
  reader.readAsText(file, 'utf-8');
});
// Forms marked data-confirm ask before submitting.
document.addEventListener('submit', function (event) {
  var form = event.target;
  var question = form && form.getAttribute && form.getAttribute('data-confirm');
  if (question && !window.confirm(question)) event.preventDefault();
});
