/* The phone's join form: preview the selfie, shrink it in the browser before sending (a
 * 12-megapixel photo becomes ~100 KB, quick on conference Wi-Fi), show upload progress.
 * Without JavaScript the form still posts the original picture. */
(function () {
  "use strict";
  var form = document.getElementById("join-form");
  if (!form) { return; }
  var input = form.querySelector("input[type=file]");
  var preview = document.getElementById("selfie-preview");
  var progress = document.getElementById("join-progress");
  var shrunk = null;
  var MAX = 720;

  function shrink(file) {
    return new Promise(function (resolve) {
      if (!window.createImageBitmap || !/^image\/(jpeg|png|webp)$/.test(file.type)) { resolve(null); return; }
      createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
        var scale = Math.min(1, MAX / Math.max(bitmap.width, bitmap.height));
        var canvas = document.createElement("canvas");
        canvas.width = Math.round(bitmap.width * scale);
        canvas.height = Math.round(bitmap.height * scale);
        canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (blob) { resolve(blob); }, "image/jpeg", 0.85);
      }).catch(function () { resolve(null); });
    });
  }

  if (input) {
    input.addEventListener("change", function () {
      shrunk = null;
      var file = input.files && input.files[0];
      if (!file) { preview.hidden = true; return; }
      preview.querySelector("img").src = URL.createObjectURL(file);
      preview.hidden = false;
      shrink(file).then(function (blob) { shrunk = blob; });
    });
  }

  form.addEventListener("submit", function (event) {
    if (!window.FormData || !window.XMLHttpRequest) { return; }
    event.preventDefault();
    var data = new FormData(form);
    if (shrunk) { data.set("photo", shrunk, "selfie.jpg"); }
    var request = new XMLHttpRequest();
    request.open("POST", form.action || window.location.href);
    var button = form.querySelector("button[type=submit]");
    button.disabled = true;
    progress.hidden = false;
    request.upload.addEventListener("progress", function (e) {
      if (e.lengthComputable) { progress.firstElementChild.style.width = Math.round((100 * e.loaded) / e.total) + "%"; }
    });
    request.onload = function () {
      if (request.responseURL && request.responseURL !== window.location.href) {
        window.location.assign(request.responseURL);
      } else {
        document.open(); document.write(request.responseText); document.close();
      }
    };
    request.onerror = function () { button.disabled = false; progress.hidden = true; form.submit(); };
    request.send(data);
  });
})();
