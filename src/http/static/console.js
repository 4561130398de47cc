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
// A file chosen in <input type="file" data-bytes="id"> goes as its bytes (base64) into the hidden input with
// that id, so the server can tell its encoding (GBK from Excel on Chinese Windows, UTF-16, UTF-8); the
// textarea named in data-clear is emptied and no longer required.
document.addEventListener('change', function (event) {
  var input = event.target;
  if (!input || !input.matches || !input.matches('input[type=file][data-bytes]')) return;
  var target = document.getElementById(input.getAttribute('data-bytes'));
  var text = document.getElementById(input.getAttribute('data-clear') || '');
  var file = input.files && input.files[0];
  if (!target || !file) return;
  var reader = new FileReader();
  reader.onload = function () {
    var bytes = new Uint8Array(reader.result);
    var binary = '';
    for (var i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    target.value = window.btoa(binary);
    if (text) { text.value = ''; text.required = false; text.placeholder = file.name; }
  };
  reader.readAsArrayBuffer(file);
});
// Forms marked data-confirm ask before submitting.
document.addEventListener('submit', function (event) {
  var form = event.target;
  var question = form && form.getAttribute && form.getAttribute('data-confirm');
  if (question && !window.confirm(question)) event.preventDefault();
});
// A canned reply chosen in <select data-fill="name"> is copied into the form's field of that name, to be adapted.
document.addEventListener('change', function (event) {
  var select = event.target;
  if (!select || !select.matches || !select.matches('select[data-fill]') || !select.form) return;
  var field = select.form.elements.namedItem(select.getAttribute('data-fill'));
  var option = select.options[select.selectedIndex];
  if (field && option && option.value !== '') field.value = option.text;
});
