"""/live/test and /live/application/get/version."""


def register(dispatcher, script):
    def test(request, args):
        return ("ok",)

    def version(request, args):
        major, minor, _bugfix = script.live_api.version(script.app)
        return (major, minor)

    dispatcher.add("/live/test", test)
    dispatcher.add("/live/application/get/version", version)
