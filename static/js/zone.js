// The chart pages draw times in the viewer's zone: tell the server which zone this browser is in (a cookie,
// read by campaigns/views/chart_support.viewer_zone). Without JavaScript the pages fall back to UTC.
(function () {
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) {
      document.cookie = "planner_tz=" + encodeURIComponent(zone) + "; path=/; max-age=31536000; SameSite=Lax";
    }
  } catch (e) {
    // An old browser without Intl time zones: the pages stay in UTC.
  }
})();
