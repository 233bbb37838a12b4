// Linux interfaces that Swift's Glibc module does not export. Only headers
// Glibc's module does not already own belong here, or their declarations
// would move into this module.
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>

static inline void cls_set_thread_name(const char *name) {
    prctl(PR_SET_NAME, (unsigned long)name, 0, 0, 0);
}

// accept4 is a GNU extension that Glibc's module hides; the address is
// passed opaquely to avoid redeclaring struct sockaddr here.
extern int accept4(int fd, void *address, unsigned int *length, int flags);

// glibc's allocator controls from <malloc.h>, which Glibc's module does not
// export; including the header would move malloc and free into this module.
extern int mallopt(int parameter, int value);
extern int malloc_trim(unsigned long pad);
enum {
    CLS_M_TRIM_THRESHOLD = -1,
    CLS_M_MMAP_THRESHOLD = -3,
    CLS_M_ARENA_MAX = -8,
};
