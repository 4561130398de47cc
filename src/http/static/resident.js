// The resident page works without this script; it only adds the location button and the poster's print button.
(function () {
  var button = document.getElementById('locate');
  if (button && 'geolocation' in navigator) {
    var status = document.getElementById('locate-status');
    var lat = document.getElementById('lat');
    var lng = document.getElementById('lng');
    button.hidden = false;
    button.addEventListener('click', function () {
      status.textContent = button.dataset.locating;
      navigator.geolocation.getCurrentPosition(
        function (position) {
          lat.value = String(position.coords.latitude);
          lng.value = String(position.coords.longitude);
          status.textContent = button.dataset.located + '（' + position.coords.latitude.toFixed(5) + ', ' + position.coords.longitude.toFixed(5) + '）';
        },
        function () {
          status.textContent = button.dataset.failed;
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
      );
    });
  }
  var print = document.querySelector('[data-print]');
  if (print) {
    print.hidden = false;
    print.addEventListener('click', function () { window.print(); });
  }
})();
