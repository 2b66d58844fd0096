package ru.vostok.lk.android.presentation

import kotlinx.coroutines.flow.StateFlow

/**
 * One screen's logic: the screen draws [state] and sends what the person did to [onEvent].
 * Every word, number and navigation decision is made here; the screen makes none.
 */
interface Presenter<State, Event> {
    val state: StateFlow<State>

    fun onEvent(event: Event)
}
