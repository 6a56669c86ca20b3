if (!window.GazamapGeodesic) { window.GazamapGeodesic = (function () {
var box = {};
(function (module, define, window) {
/* inlined: GeographicLib, geographiclib-geodesic.min.js */
})(undefined, undefined, box);
return box.geodesic;
})(); }
