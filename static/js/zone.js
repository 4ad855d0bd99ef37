// Tell the server the viewer's time zone, so pages name times where the reader is ("06:01 CST"). A cookie, not
// a setting: it follows the laptop, and the server checks the name against the zone database.
(function () {
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    var current = document.cookie.split("; ").find(function (c) { return c.indexOf("planner_tz=") === 0; });
    if (zone && current !== "planner_tz=" + zone) {
      document.cookie = "planner_tz=" + zone + "; path=/; max-age=31536000; SameSite=Lax";
    }
  } catch (e) { /* no Intl: times stay in UTC, which every page names */ }
})();
