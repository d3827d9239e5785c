#ifndef KENSHU_CLINUXFILESYNC_H
#define KENSHU_CLINUXFILESYNC_H

/* syncfs(2) is declared by <unistd.h> only under _GNU_SOURCE, which Swift's Glibc module is not
   built with; the function itself is in every glibc since 2.14 (Linux 2.6.39). Since Linux 5.8 it
   reports write-back errors of the whole file system. */
int syncfs(int fd);

#endif
