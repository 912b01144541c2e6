/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdv-door-sounds"

#include "config.h"

#include "pdv-door-sounds.h"

/* A sound per kind of verdict, so door staff can keep their eyes on the
 * queue: a rising chime for in (and out), a low double buzz for refused, three
 * short beeps for "in, but look". The sounds are short WAV files in the
 * resources, played through GTK's media support; a terminal without audio
 * output stays silent rather than failing. */

struct _PdvDoorSounds
{
  GObject         parent_instance;

  gboolean        muted;
  double          volume;
  guint           n_played;
  GtkMediaStream *streams[PDV_DOOR_VERDICT_EXITED + 1];
};

G_DEFINE_FINAL_TYPE (PdvDoorSounds, pdv_door_sounds, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_MUTED,
  PROP_VOLUME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
resource_for (PdvDoorVerdictKind kind)
{
  switch (kind)
    {
    case PDV_DOOR_VERDICT_ACCEPTED:
    case PDV_DOOR_VERDICT_EXITED:
      return "/br/com/pdv/Terminal/sounds/accepted.wav";
    case PDV_DOOR_VERDICT_WARNING:
      return "/br/com/pdv/Terminal/sounds/warning.wav";
    case PDV_DOOR_VERDICT_REFUSED:
      return "/br/com/pdv/Terminal/sounds/refused.wav";
    case PDV_DOOR_VERDICT_IDLE:
    default:
      return NULL;
    }
}

static GtkMediaStream *
stream_for (PdvDoorSounds      *self,
            PdvDoorVerdictKind  kind)
{
  const char *resource = resource_for (kind);

  if (resource == NULL)
    return NULL;
  /* Loaded on first use, so that a muted terminal never opens audio. */
  if (self->streams[kind] == NULL)
    {
      self->streams[kind] = gtk_media_file_new_for_resource (resource);
      gtk_media_stream_set_volume (self->streams[kind], self->volume);
    }
  return self->streams[kind];
}

static void
pdv_door_sounds_dispose (GObject *object)
{
  PdvDoorSounds *self = PDV_DOOR_SOUNDS (object);

  for (guint i = 0; i < G_N_ELEMENTS (self->streams); i++)
    {
      if (self->streams[i] != NULL)
        gtk_media_stream_pause (self->streams[i]);
      g_clear_object (&self->streams[i]);
    }

  G_OBJECT_CLASS (pdv_door_sounds_parent_class)->dispose (object);
}

static void
pdv_door_sounds_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  PdvDoorSounds *self = PDV_DOOR_SOUNDS (object);

  switch (prop_id)
    {
    case PROP_MUTED:
      g_value_set_boolean (value, self->muted);
      break;
    case PROP_VOLUME:
      g_value_set_double (value, self->volume);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_door_sounds_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  PdvDoorSounds *self = PDV_DOOR_SOUNDS (object);

  switch (prop_id)
    {
    case PROP_MUTED:
      pdv_door_sounds_set_muted (self, g_value_get_boolean (value));
      break;
    case PROP_VOLUME:
      pdv_door_sounds_set_volume (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pdv_door_sounds_class_init (PdvDoorSoundsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pdv_door_sounds_dispose;
  object_class->get_property = pdv_door_sounds_get_property;
  object_class->set_property = pdv_door_sounds_set_property;

  properties[PROP_MUTED] =
    g_param_spec_boolean ("muted", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VOLUME] =
    g_param_spec_double ("volume", NULL, NULL, 0.0, 1.0, 1.0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pdv_door_sounds_init (PdvDoorSounds *self)
{
  self->volume = 1.0;
}

PdvDoorSounds *
pdv_door_sounds_new (void)
{
  return g_object_new (PDV_TYPE_DOOR_SOUNDS, NULL);
}

gboolean
pdv_door_sounds_get_muted (PdvDoorSounds *self)
{
  g_return_val_if_fail (PDV_IS_DOOR_SOUNDS (self), FALSE);
  return self->muted;
}

void
pdv_door_sounds_set_muted (PdvDoorSounds *self,
                           gboolean       muted)
{
  g_return_if_fail (PDV_IS_DOOR_SOUNDS (self));

  muted = !!muted;
  if (self->muted == muted)
    return;
  self->muted = muted;
  if (muted)
    for (guint i = 0; i < G_N_ELEMENTS (self->streams); i++)
      if (self->streams[i] != NULL)
        gtk_media_stream_pause (self->streams[i]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MUTED]);
}

double
pdv_door_sounds_get_volume (PdvDoorSounds *self)
{
  g_return_val_if_fail (PDV_IS_DOOR_SOUNDS (self), 1.0);
  return self->volume;
}

/**
 * pdv_door_sounds_set_volume:
 * @volume: from 0 (silent) to 1 (full)
 */
void
pdv_door_sounds_set_volume (PdvDoorSounds *self,
                            double         volume)
{
  g_return_if_fail (PDV_IS_DOOR_SOUNDS (self));

  volume = CLAMP (volume, 0.0, 1.0);
  if (self->volume == volume)
    return;
  self->volume = volume;
  for (guint i = 0; i < G_N_ELEMENTS (self->streams); i++)
    if (self->streams[i] != NULL)
      gtk_media_stream_set_volume (self->streams[i], volume);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOLUME]);
}

/**
 * pdv_door_sounds_play:
 *
 * Plays the sound of @kind from its start, cutting short the one before:
 * in a fast queue the newest verdict is the one that matters.
 */
void
pdv_door_sounds_play (PdvDoorSounds      *self,
                      PdvDoorVerdictKind  kind)
{
  GtkMediaStream *stream;

  g_return_if_fail (PDV_IS_DOOR_SOUNDS (self));

  if (self->muted)
    return;
  stream = stream_for (self, kind);
  if (stream == NULL)
    return;
  if (gtk_media_stream_get_error (stream) != NULL)
    {
      g_debug ("No sound: %s", gtk_media_stream_get_error (stream)->message);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (self->streams); i++)
    if (self->streams[i] != NULL && self->streams[i] != stream)
      gtk_media_stream_pause (self->streams[i]);
  if (gtk_media_stream_is_prepared (stream))
    gtk_media_stream_seek (stream, 0);
  gtk_media_stream_play (stream);
  self->n_played++;
}

/**
 * pdv_door_sounds_get_n_played:
 *
 * Returns: how many sounds were started, for tests
 */
guint
pdv_door_sounds_get_n_played (PdvDoorSounds *self)
{
  g_return_val_if_fail (PDV_IS_DOOR_SOUNDS (self), 0);
  return self->n_played;
}
