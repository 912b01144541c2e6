/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <X11/XKBlib.h>
#include <X11/keysym.h>
#include <X11/extensions/XTest.h>
#include <glib.h>

#include "pdv-ui-xtest.h"

/* Types @text then @terminator with @gaps_ms[i % n_gaps] before each key. */
void
pdv_ui_xtest_type (Display     *display,
                   const char  *text,
                   KeySym       terminator,
                   const guint *gaps_ms,
                   guint        n_gaps)
{
  KeyCode shift = XKeysymToKeycode (display, XK_Shift_L);
  guint n = 0;

  for (const char *p = text;; p++)
    {
      KeySym sym = *p != '\0' ? (KeySym) (guchar) *p : terminator;
      KeyCode code = XKeysymToKeycode (display, sym);
      /* Shifted when the key's first level is another symbol ('A', '_'). */
      gboolean upper = code != 0 && XkbKeycodeToKeysym (display, code, 0, 0) != sym;
      guint gap = gaps_ms[n++ % n_gaps];

      g_assert_cmpuint (code, !=, 0);
      if (upper)
        {
          XTestFakeKeyEvent (display, shift, True, gap);
          gap = 0;
        }
      XTestFakeKeyEvent (display, code, True, gap);
      XTestFakeKeyEvent (display, code, False, 0);
      if (upper)
        XTestFakeKeyEvent (display, shift, False, 0);
      if (*p == '\0')
        break;
    }
  /* Returns once the server made every event, gaps included. */
  XSync (display, False);
}
