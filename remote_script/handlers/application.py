"""/live/test, /live/application/... and /live/api/... (the script itself)."""

LOG_LEVELS = ("debug", "info", "warning", "error", "critical")


def register(dispatcher, script):
    level = ["info"]

    def test(request, args):
        return ("ok",)

    def version(request, args):
        major, minor, _bugfix = script.live_api.version(script.app)
        return (major, minor)

    def process_usage(request, args):
        return (float(script.app.average_process_usage),)

    def reload(request, args):
        """AbletonOSC re-imports its handlers; ours need no reload: listeners are cleared."""
        script.listens.forget_client(request.sender)
        return None

    def get_log_level(request, args):
        return (level[0],)

    def set_log_level(request, args):
        if args and isinstance(args[0], str) and args[0].lower() in LOG_LEVELS:
            level[0] = args[0].lower()
        return None

    def show_message(request, args):
        if args:
            script.show_message(str(args[0])[:200])
        return None

    dispatcher.add("/live/test", test)
    dispatcher.add("/live/application/get/version", version)
    dispatcher.add("/live/application/get/average_process_usage", process_usage)
    dispatcher.add("/live/api/reload", reload)
    dispatcher.add("/live/api/get/log_level", get_log_level)
    dispatcher.add("/live/api/set/log_level", set_log_level)
    dispatcher.add("/live/api/show_message", show_message)
