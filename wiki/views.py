def home(request):
    raise NotImplementedError


def entry_list(request, segment):
    raise NotImplementedError


def entry_detail(request, segment, slug):
    raise NotImplementedError
