// A live card's watcher (ui/live.py): asks the server about one file in flight every `every` ms and
// reruns the card's fragment only when what the card shows has changed (or the file left flight).
// No rerun, no redraw while nothing changes. Where the status route is missing (the app started from
// Home.py, not serve.py) or fails, it reruns the card every `fallback` ms instead, as a timer would.
export default function ({ data, setTriggerValue }) {
  const { url, every, fallback, drawn } = data;
  let stopped = false;
  let timer = null;

  const rerun = () => {
    if (!stopped) {
      stopped = true;
      setTriggerValue("changed", Date.now());
    }
  };

  const poll = async () => {
    let news = null;
    try {
      const answer = await fetch(url, { cache: "no-store", credentials: "same-origin" });
      news = answer.ok ? await answer.json() : null;
    } catch (failed) {
      news = null;
    }
    if (stopped) return;
    if (news === null) {
      timer = setTimeout(rerun, fallback);
    } else if (news.fresh && news.drawn !== drawn) {
      rerun();
    } else {
      timer = setTimeout(poll, every);
    }
  };

  timer = setTimeout(poll, every);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
